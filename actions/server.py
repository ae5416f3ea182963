"""The action server Rasa calls: rasa_sdk's app in ONE process, and only for callers that know the secret.

`python -m rasa_sdk` runs Sanic's worker manager: a main process plus a worker that holds the socket.
When the main process is killed the worker keeps the port (the restart fails with "address in use"),
and when the worker dies the main process keeps the port but nothing answers. One process has neither
failure: it lives or dies as a whole, and the supervisor watches its /health.

`ACTIONS_TOKEN` (set by `tanyakerja run`; Rasa sends it as `?token=` from endpoints.yml) keeps anyone
else on the machine or network from calling actions directly, e.g. to create a forged escalation.
`/health` stays open: it says nothing and changes nothing.

Run: `python -m actions.server --port 5055` (host from SANIC_HOST, default 127.0.0.1).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import logging.config
import os

import yaml
from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

log = logging.getLogger("actions.server")

OPEN_PATHS = frozenset({"/health"})


def build_app(token: str | None) -> Sanic:
    """rasa_sdk's app with our actions registered and the shared-secret check in front."""
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor, cors_origins=None)

    @app.on_request
    async def require_token(request: Request) -> HTTPResponse | None:
        if token is None or request.path in OPEN_PATHS:
            return None
        given = request.args.get("token") or request.headers.get("x-actions-token") or ""
        if hmac.compare_digest(given.encode(), token.encode()):
            return None
        log.warning("refused an action call without the right token from %s", request.ip)
        return response.json({"error": "forbidden"}, status=403)

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="TanyaKerja action server (single process)")
    parser.add_argument("-p", "--port", type=int, default=int(os.environ.get("ACTIONS_PORT", "5055")))
    parser.add_argument("--logging-config-file", help="logging.yml: the filter that masks personal data")
    args = parser.parse_args(argv)
    if args.logging_config_file:
        with open(args.logging_config_file, encoding="utf-8") as fh:
            logging.config.dictConfig(yaml.safe_load(fh))
        logging.getLogger().setLevel(logging.INFO)
    else:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    token = os.environ.get("ACTIONS_TOKEN", "").strip() or None
    if token is None:
        log.warning("ACTIONS_TOKEN is not set: anyone who can reach this port can run actions")
    app = build_app(token)
    host = os.environ.get("SANIC_HOST", "127.0.0.1")
    log.info("action server on http://%s:%d (one process)", host, args.port)
    app.run(host=host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
