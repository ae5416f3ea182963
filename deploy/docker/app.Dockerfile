# The application image: the gateway (default command), the action server and the `tanyakerja` CLI.
# Build from the repository root:
#   docker build -f deploy/docker/app.Dockerfile -t tanyakerja/app:$(git rev-parse --short HEAD) .
# Run one part by its command (deploy/compose.yml and deploy/k8s/ do this):
#   gateway (default) | actions: see ACTIONS_CMD below | migrate: tanyakerja db init

# Base image pinned by exact version tag (Python 3.11, Debian 12 "bookworm", slim).
FROM python:3.11.16-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
RUN python -m venv /opt/venv
WORKDIR /src
# Only the runtime pins (a subset of requirements.txt with identical versions; no test or lint tools),
# installed without resolving: the file is the whole closure, and `pip check` proves it is complete.
COPY requirements/runtime.txt requirements/runtime.txt
RUN /opt/venv/bin/pip install --no-deps -r requirements/runtime.txt
COPY pyproject.toml ./
COPY bot/ bot/
COPY helpdesk/ helpdesk/
COPY actions/ actions/
COPY knowledge/ knowledge/
COPY tanyakerja/ tanyakerja/
RUN /opt/venv/bin/pip install --no-deps --no-build-isolation . \
 && /opt/venv/bin/pip check \
 && /opt/venv/bin/python -m compileall -q /opt/venv/lib

FROM python:3.11.16-slim-bookworm

# A fixed, unprivileged user (numeric so Kubernetes' runAsNonRoot can verify it).
RUN groupadd --system --gid 10001 tanyakerja \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin tanyakerja
COPY --from=build /opt/venv /opt/venv
WORKDIR /app
# /app/var: the gateway's transcript spool (var/spool, relative to the working directory) and logs.
RUN mkdir -p /app/var && chown tanyakerja:tanyakerja /app/var
COPY deploy/docker/probe.py /app/probe.py

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    BIND_HOST=0.0.0.0 \
    GATEWAY_PORT=8000 \
    ACTIONS_PORT=5055

USER 10001:10001
EXPOSE 8000 5055

# The gateway: one uvicorn process per container (scale with replicas, not workers).
# ACTIONS_CMD (the action server), for reference:
#   sh -c 'SANIC_HOST="$BIND_HOST" exec python -m actions.server --port "$ACTIONS_PORT"'
CMD ["sh", "-c", "exec uvicorn --factory bot.asgi:app_factory --host \"$BIND_HOST\" --port \"$GATEWAY_PORT\" --no-access-log"]
