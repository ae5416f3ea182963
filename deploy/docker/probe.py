"""Container health probe without curl: exit 0 when the process in this container answers, else 1.

    probe.py http://127.0.0.1:8000/healthz   # any URL: healthy when it answers 200
    probe.py --rasa-model                    # Rasa: /status (needs RASA_TOKEN) reports a loaded model

Rasa answers `/` ("Hello from Rasa") even when no model could be loaded, so its readiness asks `/status`,
which needs the API token: read from RASA_TOKEN here so it never appears in a manifest or a process list.
Runs on the Rasa image's Python 3.10 and on the application image's 3.11: standard library only.
"""

import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT_S = 3


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response:  # noqa: S310 (loopback URL we build)
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except (OSError, ValueError):
        return 0, b""


def rasa_model_loaded() -> bool:
    """True when the local Rasa server has a model loaded (the readiness the supervisor also uses)."""
    port = os.environ.get("RASA_PORT", "").strip() or "5005"
    token = urllib.parse.quote(os.environ.get("RASA_TOKEN", ""), safe="")
    status, body = _get(f"http://127.0.0.1:{port}/status?token={token}")
    if status != 200:
        return False
    try:
        return bool(json.loads(body).get("model_id"))
    except ValueError:
        return False


def main(argv: list) -> int:
    if argv == ["--rasa-model"]:
        return 0 if rasa_model_loaded() else 1
    if len(argv) == 1 and argv[0].startswith("http://"):
        return 0 if _get(argv[0])[0] == 200 else 1
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
