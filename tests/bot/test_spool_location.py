"""The transcript spool follows the configuration: SPOOL_DIR, else beside the SQLite database, so two stacks
started from one checkout never share (and replay each other's) spooled lines."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import sessionmaker

from bot.asgi import create_app
from bot.transcript import SPOOL_NAME
from knowledge.db import make_engine
from knowledge.settings import Settings
from tests.support.fake_rasa import FakeRasa


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        (Settings(), Path("var/spool")),
        (Settings(database_url="sqlite:////srv/a/app.db"), Path("/srv/a/spool")),
        (Settings(database_url="sqlite:///data/b.db"), Path("data/spool")),
        (Settings(database_url="postgresql+psycopg://u:p@db/tk"), Path("var/spool")),
        (Settings(database_url="sqlite://"), Path("var/spool")),
        (Settings(database_url="sqlite:////srv/a/app.db", spool_dir="/spool/x"), Path("/spool/x")),
    ],
)
def test_where_the_spool_lives(settings, expected):
    assert settings.spool_path() == expected


def test_spool_dir_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("SPOOL_DIR", "/tmp/uji-spool")
    monkeypatch.setenv("DATABASE_URL", "sqlite:////srv/a/app.db")
    assert Settings.from_env().spool_path() == Path("/tmp/uji-spool")
    monkeypatch.delenv("SPOOL_DIR")
    assert Settings.from_env().spool_path() == Path("/srv/a/spool")


def test_two_apps_with_different_settings_spool_to_different_places(tmp_path):
    """Both databases are down (their folder is gone): each app spools where its own settings say."""
    spooled: dict[str, Path] = {}
    for name in ("a", "b"):
        database = tmp_path / name / "gone" / "app.db"
        settings = Settings(
            database_url=f"sqlite:///{database}", rasa_url="http://rasa.test", actions_url="http://actions.test"
        )
        engine = make_engine(settings.database_url)  # the folder does not exist: every write fails
        app = create_app(settings, factory=sessionmaker(bind=engine), transport=httpx.MockTransport(FakeRasa()))
        with TestClient(app) as client:
            r = client.post("/api/chat", json={"user_id": f"user-{name}", "text": f"halo dari {name}"})
        assert r.status_code == 200
        engine.dispose()
        spooled[name] = database.parent / "spool" / SPOOL_NAME
    for name, spool in spooled.items():
        lines = [json.loads(line) for line in spool.read_text().splitlines()]
        assert {line["user_id"] for line in lines} == {f"user-{name}"}
