"""What tests build again and again: trackers and entities, running an action, fictional registries."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from knowledge.db import make_engine

REGISTRY_HEADER = "name,license_number,status,valid_until,province,city,address,phone,countries\n"

# A small registry used by several test modules (fictional "Uji" names).
UJI_REGISTRY = (
    REGISTRY_HEADER
    + """\
PT Uji Andalan Samudra Nusantara,KEP.771/PPTKIS/III/2020,aktif,2030-12-31,Jawa Timur,Malang,,,Taiwan;Hong Kong
PT Uji Bara Kencana Mulia,B.302/KA/V/2022,dibekukan,2030-06-30,Jawa Barat,Cirebon,,,Malaysia
PT Uji Cipta Lintas Benua,SIP3MI-2023-0412,dicabut,,Nusa Tenggara Barat,Mataram,,,Arab Saudi
PT Uji Delta Prima Sejati,KEP.55/PPTKIS/I/2019,aktif,2024-01-31,Jawa Tengah,Semarang,,,Singapura
PT Uji Elang Mas Perkasa,B.90/KA/II/2021,kedaluwarsa,2023-02-28,Lampung,Bandar Lampung,,,Korea Selatan
PT Uji Bintang Timur Sejahtera,KEP.12/PPTKIS/II/2021,aktif,2030-01-31,Jawa Barat,Bekasi,,,Malaysia
PT Uji Bintang Timor Sejahtera,KEP.13/PPTKIS/II/2021,dicabut,,Jawa Barat,Bekasi,,,Malaysia
CV. Uji Zamrud Khatulistiwa Tbk,562/KEP/2021,Active,2030-05-01,Sumatera Barat,Padang,,,Malaysia
"""
)

TRAINING_HEADER = "title,provider,city,province,field,start_date,end_date,fee,quota,registration_url,description\n"
VACANCY_HEADER = (
    "source,source_id,title,company,city,province,sector,education,salary_min,salary_max,posted_at,"
    "expires_at,country,agency_license,url,description\n"
)


def ent(name: str, value: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
    """An entity as Rasa's NLU reports it."""
    entity: dict[str, Any] = {"entity": name, "value": value}
    if start is not None:
        entity.update(start=start, end=end if end is not None else start + len(value))
    return entity


def located(text: str, name: str, value: str) -> dict[str, Any]:
    """An entity with its offsets in `text` (the first occurrence of `value`)."""
    start = text.index(value)
    return ent(name, value, start, start + len(value))


def tracker(
    text: str = "",
    *,
    intent: str = "inform",
    entities: Sequence[dict] = (),
    slots: dict | None = None,
    sender: str = "web:test-user",
    events: Sequence[dict] = (),
    confidence: float = 0.9,
    ranking: Sequence[dict] = (),
) -> Tracker:
    """A tracker whose latest message is `text` with this intent and these entities."""
    latest = {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": list(entities)}
    if ranking:
        latest["intent_ranking"] = list(ranking)
    return Tracker(
        sender_id=sender,
        slots=dict(slots or {}),
        latest_message=latest,
        events=list(events),
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


class Ran:
    """What an action did: its messages (text and buttons) and its events."""

    def __init__(self, messages: list[dict[str, Any]], events: list[Any]):
        self.messages = messages
        self.events = events

    @property
    def text(self) -> str:
        """Every message text, joined."""
        return "\n".join(m.get("text") or "" for m in self.messages)

    @property
    def buttons(self) -> list[dict[str, Any]]:
        """Every button offered."""
        return [b for m in self.messages for b in m.get("buttons") or []]

    def slot(self, name: str) -> Any:
        """The value the action set for a slot (KeyError when it did not set it)."""
        for event in reversed(self.events):
            if event.get("event") == "slot" and event.get("name") == name:
                return event.get("value")
        raise KeyError(name)


async def run_action(action: Action, trk: Tracker) -> Ran:
    """Run an action the way the action server does."""
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, trk, {})
    return Ran(dispatcher.messages, events)


def write(tmp_path: Path, name: str, text: str) -> Path:
    """A file with this text in the test's folder."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def copied_database(folder: Path, migrated_template: Path) -> tuple[Path, Engine, sessionmaker[Session]]:
    """A private copy of the migrated empty database in folder: (its path, engine, session factory).
    For module-scoped fixtures that cannot use the per-test `db` fixture; dispose the engine afterwards."""
    path = folder / "app.db"
    shutil.copy(migrated_template, path)
    engine = make_engine(f"sqlite:///{path}")
    return path, engine, sessionmaker(bind=engine, expire_on_commit=False)
