"""Shared fixtures: a fresh SQLite database per test, filled from CSV text written in the test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from actions.deps import set_session_factory
from knowledge.db import init_db, make_engine, session_scope
from knowledge.demo_data import load_demo_if_empty
from knowledge.import_agencies import import_agencies

HEADER = "name,license_number,status,valid_until,province,city,address,phone,countries\n"

# A small registry used by several test modules (fictional "Uji" names).
UJI_REGISTRY = HEADER + """\
PT Uji Andalan Samudra Nusantara,KEP.771/PPTKIS/III/2020,aktif,2030-12-31,Jawa Timur,Malang,,,Taiwan;Hong Kong
PT Uji Bara Kencana Mulia,B.302/KA/V/2022,dibekukan,2030-06-30,Jawa Barat,Cirebon,,,Malaysia
PT Uji Cipta Lintas Benua,SIP3MI-2023-0412,dicabut,,Nusa Tenggara Barat,Mataram,,,Arab Saudi
PT Uji Delta Prima Sejati,KEP.55/PPTKIS/I/2019,aktif,2024-01-31,Jawa Tengah,Semarang,,,Singapura
PT Uji Elang Mas Perkasa,B.90/KA/II/2021,kedaluwarsa,2023-02-28,Lampung,Bandar Lampung,,,Korea Selatan
PT Uji Bintang Timur Sejahtera,KEP.12/PPTKIS/II/2021,aktif,2030-01-31,Jawa Barat,Bekasi,,,Malaysia
PT Uji Bintang Timor Sejahtera,KEP.13/PPTKIS/II/2021,dicabut,,Jawa Barat,Bekasi,,,Malaysia
CV. Uji Zamrud Khatulistiwa Tbk,562/KEP/2021,Active,2030-05-01,Sumatera Barat,Padang,,,Malaysia
"""


@pytest.fixture
def uji_csv() -> str:
    """The small fictional registry above, as CSV text."""
    return UJI_REGISTRY


@pytest.fixture
def db(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    """An empty application database (schema only) in a fresh SQLite file."""
    engine = make_engine(f"sqlite:///{tmp_path / 'app.db'}")
    init_db(engine)
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def load_registry(db: sessionmaker[Session], tmp_path: Path) -> Callable[..., sessionmaker[Session]]:
    """Import CSV text as the registry (as of 2026-11-01) and return the session factory."""

    def load(csv_text: str = UJI_REGISTRY, *, as_of: date = date(2026, 11, 1)) -> sessionmaker[Session]:
        path = tmp_path / "agencies.csv"
        path.write_text(csv_text, encoding="utf-8")
        with session_scope(db) as session:
            import_agencies(session, path, as_of=as_of)
        return db

    return load


@pytest.fixture
def actions_db(load_registry) -> Iterator[sessionmaker[Session]]:
    """The Uji registry wired into the actions' session factory."""
    factory = load_registry()
    set_session_factory(factory)
    yield factory
    set_session_factory(None)


@pytest.fixture
def demo_db(db: sessionmaker[Session]) -> Iterator[sessionmaker[Session]]:
    """The fictional demo data (agencies, vacancies, trainings) wired into the actions' session factory."""
    with session_scope(db) as session:
        load_demo_if_empty(session)
    set_session_factory(db)
    yield db
    set_session_factory(None)
