"""`python -m nlu.serve run ...`: Rasa's own command line, with the API token taken from RASA_TOKEN.

`rasa run` accepts the token only as `--auth-token TOKEN`, and a command line is readable by every local
user (`ps`, /proc/PID/cmdline). This wrapper adds the option inside the process, after it has started:
changing sys.argv does not change what the kernel shows. The REST channel reads the same variable
(credentials.yml, nlu/channels.py).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence


def with_token(argv: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """argv for Rasa's CLI: `run` gets `--auth-token` from the environment and refuses to start without it."""
    args = list(argv)
    if "--auth-token" in args or any(a.startswith("--auth-token=") for a in args):
        raise SystemExit("nlu.serve: pass the token in RASA_TOKEN, never on the command line")
    if len(args) > 1 and args[1] == "run":
        token = environ.get("RASA_TOKEN", "")
        if not token:
            raise SystemExit("nlu.serve: set RASA_TOKEN (the token of Rasa's HTTP API and REST channel)")
        args += ["--auth-token", token]
    return args


def main() -> None:
    """Run Rasa's CLI with the token added in memory only."""
    sys.argv = with_token(sys.argv, os.environ)
    from rasa.__main__ import main as rasa_main  # Rasa is imported only in its own environment

    rasa_main()


if __name__ == "__main__":
    main()
