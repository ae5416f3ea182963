"""Training time of the whole bot, with Rasa's cache disabled so every component really trains."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time

from tests.support.stackctl import REPO_ROOT


def main() -> None:
    """Train into a scratch folder and print the wall time."""
    env = dict(os.environ, RASA_MAX_CACHE_SIZE="0", RASA_TELEMETRY_ENABLED="false", PYTHONWARNINGS="ignore")
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        subprocess.run(
            [
                str(REPO_ROOT / ".venv-rasa" / "bin" / "rasa"),
                "train",
                "--data",
                "nlu",
                "--config",
                "config.yml",
                "--domain",
                "domain.yml",
                "--out",
                out,
                "--force",
                "--quiet",
            ],
            cwd=REPO_ROOT,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        print(f"training (whole bot, cache off, 2 cores): {time.perf_counter() - t0:8.1f} s")


if __name__ == "__main__":
    main()
