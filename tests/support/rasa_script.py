"""Run a test script in Rasa's environment (.venv-rasa, Python 3.10), where our Rasa components run."""

from __future__ import annotations

import os
import subprocess

from tests.support.stackctl import REPO_ROOT


def run_in_rasa(script: str, **extra_env: str) -> None:
    """Run `script` with .venv-rasa's Python from the repository root; it must print "ok" last."""
    python = REPO_ROOT / ".venv-rasa" / "bin" / "python"
    env = {
        "PYTHONPATH": str(REPO_ROOT),
        "PATH": "/usr/bin:/bin",
        "PYTHONWARNINGS": "ignore",
        "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
        "RASA_TELEMETRY_ENABLED": "false",
        "HOME": os.environ.get("HOME", "/tmp"),
        **extra_env,
    }
    done = subprocess.run(
        [str(python), "-c", script], env=env, capture_output=True, text=True, timeout=300, cwd=REPO_ROOT
    )
    assert done.returncode == 0 and done.stdout.strip().endswith("ok"), done.stderr[-3000:]
