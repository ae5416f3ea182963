"""Replaying the transcript spool (issue 21, High 2): one line the database can never take, or a line torn by
a full disk or a crash, is quarantined; every other line is written, and later writes are not blocked. On
SQLite and on PostgreSQL (which refuses more: NUL, a value too long for its column)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.transcript import QUARANTINE_NAME, SPOOL_NAME, Transcript
from knowledge.db import make_engine
from knowledge.migrations import upgrade_to_head
from knowledge.models import Message

AT = "2026-11-02T08:00:00+00:00"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def factory(request, db) -> Iterator[sessionmaker[Session]]:
    if request.param == "sqlite":
        yield db
        return
    engine = make_engine(request.getfixturevalue("pg_database")())
    upgrade_to_head(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def line(text: str, **fields: object) -> bytes:
    record = {"channel": "web", "user_id": "u1", "direction": "in", "text": text, "buttons": None}
    record.update({"status": "spooled", "external_id": None, "created_at": AT, **fields})
    return json.dumps(record, ensure_ascii=False).encode() + b"\n"


def stored(factory: sessionmaker[Session]) -> list[str]:
    with factory() as s:
        return [m.text for m in s.scalars(select(Message).order_by(Message.id))]


def quarantined(spool_dir: Path) -> list[dict]:
    path = spool_dir / QUARANTINE_NAME
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def test_a_line_the_database_refuses_is_quarantined_and_the_rest_replayed(factory, tmp_path):
    spool = tmp_path / SPOOL_NAME
    spool.write_bytes(
        line("satu")
        + line("tanpa arah", direction=None)  # NOT NULL: an IntegrityError everywhere
        + line("tanggal rusak", created_at="kemarin sore")
        + line("nul\x00 mentah")  # written raw by an older gateway: stored without the NUL
        + line("dua")
        + line("kanal", channel="k" * 300)  # too long for its column: PostgreSQL's DataError (SQLite keeps it)
        + line("tiga")
    )
    t = Transcript(factory, tmp_path)
    assert t.record(channel="web", user_id="u1", direction="in", text="baru")[0] is not None
    texts = stored(factory)
    assert texts[:3] == ["satu", "nul mentah", "dua"] and texts[-2:] == ["tiga", "baru"]
    errors = {q["error"] for q in quarantined(tmp_path)}
    assert {"IntegrityError", "ValueError"} <= errors
    assert ("DataError" in errors) == (factory.kw["bind"].dialect.name == "postgresql")
    assert not spool.exists() and not list(tmp_path.glob(f"{SPOOL_NAME}.*"))
    # nothing is blocked any more: the next write goes straight in, the spool stays empty
    assert t.record(channel="web", user_id="u1", direction="in", text="lagi")[0] is not None
    assert stored(factory)[-1] == "lagi" and not spool.exists()


def test_a_torn_last_line_loses_no_other_line(factory, tmp_path):
    spool = tmp_path / SPOOL_NAME
    whole = line("terpotong karena disk penuh ✂ lalu")
    torn = whole[: whole.index("✂".encode()) + 1]  # cut inside the multi-byte ✂: not even UTF-8
    spool.write_bytes(line("satu") + line("dua") + torn)
    t = Transcript(factory, tmp_path)
    t._append_spool(json.loads(line("ditulis setelah crash")))  # appended after the torn line, on its own line
    assert t.flush_spool() == 3
    assert stored(factory) == ["satu", "dua", "ditulis setelah crash"]
    [bad] = quarantined(tmp_path)
    assert bad["error"] == "UnicodeDecodeError" and bad["line"].startswith('{"channel": "web"')
    assert not spool.exists()


def test_a_database_outage_gives_the_lines_back(tmp_path, db):
    broken = make_engine(f"sqlite:///{tmp_path / 'gone' / 'app.db'}")  # its folder does not exist
    spool = tmp_path / SPOOL_NAME
    spool.write_bytes(line("satu") + line("dua"))
    t = Transcript(sessionmaker(bind=broken), tmp_path)
    assert t.record(channel="web", user_id="u1", direction="in", text="tiga") == (None, True)
    assert [json.loads(x)["text"] for x in spool.read_text().splitlines()] == ["satu", "dua", "tiga"]
    assert quarantined(tmp_path) == []
    broken.dispose()
    Transcript(db, tmp_path).flush_spool()
    assert stored(db) == ["satu", "dua", "tiga"]


def test_a_nul_in_a_line_is_dropped_and_dedupe_and_counting_go_on(factory, tmp_path):
    t = Transcript(factory, tmp_path)
    line_in = {"channel": "telegram", "user_id": "7", "direction": "in", "text": "halo\x00 loker"}
    assert t.record(**line_in, external_id="1:5\x00")[1] is True
    assert t.record(**line_in, external_id="1:5\x00")[1] is False  # the redelivery is still recognised
    assert t.record(channel="telegram", user_id="7", direction="in", text="berikutnya")[0] is not None
    assert stored(factory) == ["halo loker", "berikutnya"]
    assert t.inbound_in_last_minute("telegram", "7") == 2
    assert not (tmp_path / SPOOL_NAME).exists()
