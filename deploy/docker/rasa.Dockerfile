# The Rasa image: Rasa 3.6.21 on Python 3.10 with one trained model baked in.
# Build from the repository root after `make train` (the model is chosen explicitly, never "the newest"):
#   docker build -f deploy/docker/rasa.Dockerfile \
#     --build-arg MODEL=$(ls -1 models/*.tar.gz | sort | tail -n 1) -t tanyakerja/rasa:$(git rev-parse --short HEAD) .
# To serve a model from a volume instead, mount it over /app/models (Rasa loads the newest file there).

# Base image pinned by exact version tag (Python 3.10, Debian 12 "bookworm", slim).
FROM python:3.10.21-slim-bookworm AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 PYTHONDONTWRITEBYTECODE=1
# A compiler only in this stage, for the few pure-C or sdist-only pins (docopt, ...); never in the final image.
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
COPY requirements/rasa.txt /tmp/rasa.txt
# requirements/rasa.txt is a full freeze of .venv-rasa: install it as it is, then prove it is consistent.
RUN /opt/venv/bin/pip install --no-deps -r /tmp/rasa.txt \
 && /opt/venv/bin/pip check \
 && /opt/venv/bin/python -c 'import rasa, sys; sys.exit(rasa.__version__ != "3.6.21")'

FROM python:3.10.21-slim-bookworm

RUN groupadd --system --gid 10001 rasa \
 && useradd --system --uid 10001 --gid 10001 --home-dir /app --no-create-home --shell /usr/sbin/nologin rasa
COPY --from=build /opt/venv /opt/venv
WORKDIR /app

# Rasa's own files. endpoints.yml takes the tracker store, lock store and action server from the environment.
COPY config.yml domain.yml endpoints.yml credentials.yml ./
# The custom NLU components named in config.yml (nlu.*) and what they import from knowledge/: the language
# layer, the places gazetteer, the guidance facts and their data files. tests/deploy checks this list against
# the imports, so a new import that is not copied here fails the tests, not the rollout.
COPY nlu/ nlu/
COPY knowledge/__init__.py knowledge/facts.py knowledge/
COPY knowledge/content/ knowledge/content/
COPY knowledge/guidance/ knowledge/guidance/
COPY knowledge/language/ knowledge/language/
COPY knowledge/places/ knowledge/places/
COPY deploy/docker/probe.py /app/probe.py

# The model: one file, named by the build argument (required).
ARG MODEL
RUN test -n "$MODEL" || { echo "build with --build-arg MODEL=models/<file>.tar.gz (run make train first)" >&2; exit 1; }
COPY ${MODEL} /app/models/

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONWARNINGS=ignore \
    SQLALCHEMY_SILENCE_UBER_WARNING=1 \
    TF_CPP_MIN_LOG_LEVEL=2 \
    RASA_TELEMETRY_ENABLED=false \
    HOME=/tmp \
    BIND_HOST=0.0.0.0 \
    RASA_PORT=5005

USER 10001:10001
EXPOSE 5005

# --enable-api with the token (never without: model replace/delete would be open); never --cors.
# nlu.serve is `rasa` with --auth-token taken from RASA_TOKEN inside the process (never on a command line,
# which every local user can read); the REST channel refuses requests without the same token.
# Logging stays at INFO: at DEBUG Rasa logs message text and slot values (personal data).
CMD ["sh", "-c", "exec python -m nlu.serve run --enable-api -i \"$BIND_HOST\" -p \"$RASA_PORT\" --model /app/models --endpoints endpoints.yml --credentials credentials.yml"]
