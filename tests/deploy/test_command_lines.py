"""No secret on a command line: every local user of a host (containers' processes included) can read them in
`ps` or /proc/PID/cmdline. Secrets reach programs through the environment, a file, or stdin."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from tests.deploy.deployfiles import DEPLOY, Dockerfile, compose
from tests.support.stackctl import free_port

PASSWORD = "uji-sandi-redis-51d2"


def _local(command: str, secrets: Path) -> str:
    """A Compose command as the shell in the container runs it ($$ is Compose's escape), secrets from here."""
    return command.replace("$$", "$").replace("/run/secrets/", f"{secrets}/")


def test_rasa_starts_through_nlu_serve_without_auth_token_argument() -> None:
    (cmd,) = Dockerfile.read("rasa.Dockerfile").instructions("CMD")
    assert "-m nlu.serve run --enable-api" in cmd and "--auth-token" not in cmd and "RASA_TOKEN" not in cmd


@pytest.mark.skipif(not shutil.which("redis-server") or not shutil.which("redis-cli"), reason="needs redis-server")
def test_redis_gets_its_password_without_it_showing_in_the_process_list(tmp_path: Path) -> None:
    (tmp_path / "redis_password").write_text(PASSWORD, encoding="utf-8")
    service = compose()["services"]["redis"]
    port = free_port()
    command = _local(service["command"][2], tmp_path).replace("redis-server -", f"redis-server - --port {port}", 1)
    health = _local(service["healthcheck"]["test"][1], tmp_path).replace("redis-cli", f"redis-cli -p {port}")
    proc = subprocess.Popen(["sh", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 20
        while subprocess.run(["sh", "-c", health]).returncode != 0:  # the healthcheck, with the password
            assert proc.poll() is None and time.monotonic() < deadline, "redis did not come up"
            time.sleep(0.2)
        assert PASSWORD.encode() not in Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        anonymous = subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True)
        assert "NOAUTH" in anonymous.stdout  # the password is really required
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    assert PASSWORD not in health and "-a " not in health  # redis-cli reads REDISCLI_AUTH, not an argument


def test_the_database_init_script_passes_no_password_as_an_argument() -> None:
    script = (DEPLOY / "postgres" / "init-databases.sh").read_text(encoding="utf-8")
    assert "$(cat" not in script  # the shell would put the file's content into psql's arguments
    assert "\\set app_pw `cat /run/secrets/app_db_password`" in script  # psql reads the file itself


@pytest.mark.pg
def test_the_database_init_script_still_sets_both_passwords(pg_server: str, tmp_path: Path) -> None:
    (tmp_path / "app_db_password").write_text("uji-app-pw", encoding="utf-8")
    (tmp_path / "rasa_db_password").write_text("uji-rasa-pw", encoding="utf-8")
    script = _local((DEPLOY / "postgres" / "init-databases.sh").read_text(encoding="utf-8"), tmp_path)
    # the script's roles and databases get a suffix: the shared test server is left as it was
    suffix = f"_{free_port()}"
    script = re.sub(r"\b(tanyakerja|rasa_tracker|rasa)\b", lambda m: m.group(1) + suffix, script)
    server = make_url(pg_server)
    env = {"PATH": "/usr/bin:/bin", "POSTGRES_USER": str(server.username)}
    env |= {"PGHOST": str(server.host), "PGPORT": str(server.port)}
    done = subprocess.run(["sh", "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    engine = create_engine(pg_server)
    with engine.connect() as conn:
        rows = conn.execute(
            text("SELECT rolname, rolpassword IS NOT NULL FROM pg_authid WHERE rolname LIKE :p"), {"p": f"%{suffix}"}
        )
        assert sorted(rows) == [(f"rasa{suffix}", True), (f"tanyakerja{suffix}", True)]
    engine.dispose()
