"""The same code on a real PostgreSQL (Debian's server, started privately for these tests).

Skipped only when PostgreSQL is not installed and TANYAKERJA_REQUIRE_PG is unset; CI sets it.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from bot.transcript import Transcript
from knowledge import transcripts
from knowledge.db import make_engine, session_scope
from knowledge.migrations import upgrade_to_head
from knowledge.models import Base, LicenseStatus
from knowledge.places.gazetteer import get_gazetteer
from knowledge.registry.importer import import_agencies
from knowledge.registry.lookup import lookup_agency
from knowledge.vacancies.importer import import_vacancies
from knowledge.vacancies.search import VacancyQuery, search_vacancies
from tanyakerja.demo import load_demo_if_empty
from tests.support.pgtemp import find_pg_bin, temporary_postgres

pytestmark = pytest.mark.pg


@pytest.fixture(scope="module")
def pg_url():
    if find_pg_bin() is None:
        if os.environ.get("TANYAKERJA_REQUIRE_PG"):
            pytest.fail("PostgreSQL is required here but not installed (apt-get install postgresql)")
        pytest.skip("PostgreSQL is not installed")
    with temporary_postgres() as url:
        yield url


@pytest.fixture
def pg(pg_url):
    engine = make_engine(pg_url)
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade_to_head(engine)
    upgrade_to_head(engine)  # a second run upgrades nothing and fails nothing
    yield sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def test_registry_import_and_lookup(pg, tmp_path: Path, uji_csv):
    path = tmp_path / "a.csv"
    path.write_text(uji_csv, encoding="utf-8")
    with session_scope(pg) as s:
        assert import_agencies(s, path).added == 8
    with session_scope(pg) as s:
        assert import_agencies(s, path).unchanged == 8
    with pg() as s:
        assert lookup_agency(s, "kep 771 pptkis iii 2020").agency.status is LicenseStatus.AKTIF
        assert lookup_agency(s, "pt uji cipta lintas benua").agency.status is LicenseStatus.DICABUT
        assert lookup_agency(s, "pt uji cipta lintas benuaa").suggestions[0].status is LicenseStatus.DICABUT
        assert lookup_agency(s, "PT Uji Delta Prima Sejati").agency.status is LicenseStatus.KEDALUWARSA
        assert lookup_agency(s, "uji andalan").kind == "suggestion"


def test_demo_data_vacancy_search_and_overseas_rule(pg):
    with session_scope(pg) as s:
        loaded = load_demo_if_empty(s)
    assert set(loaded) == {
        "agencies",
        "trainings",
        "vacancies vacancies.csv",
        "vacancies bursakerja-kepri.csv",
        "vacancies disnaker-jatim.jsonl",
    }
    gaz = get_gazetteer()
    with pg() as s:
        batam = tuple(r.code for r in gaz.resolve("btm").regions)
        welder = search_vacancies(s, VacancyQuery(job="las", regions=batam))
        assert welder.hits[0].title.startswith("Welder") and len(welder.hits[0].sources) == 2
        taiwan = search_vacancies(s, VacancyQuery(country="Taiwan"))
        assert taiwan.total == 2 and [h.reason for h in taiwan.hidden] == ["dibekukan"]
        paged = [search_vacancies(s, VacancyQuery(), page=p).hits for p in range(3)]
        assert len({h.title + h.company for page in paged for h in page}) == sum(len(p) for p in paged)


def test_vacancy_import_idempotent(pg, tmp_path: Path):
    soon = (date.today() + timedelta(days=9)).isoformat()
    feed = (
        "source,source_id,title,company,city,province,sector,education,salary_min,salary_max,posted_at,"
        f"expires_at,country,agency_license,url,description\nuji,1,Welder,PT Uji,Batam,,,,,,,{soon},,,,\n"
    )
    path = tmp_path / "v.csv"
    path.write_text(feed, encoding="utf-8")
    with session_scope(pg) as s:
        assert import_vacancies(s, path).added == 1
    with session_scope(pg) as s:
        assert import_vacancies(s, path).unchanged == 1


def test_transcript_and_dedupe(pg, tmp_path: Path):
    t = Transcript(pg, tmp_path)
    assert t.record(channel="telegram", user_id="1", direction="in", text="halo", external_id="u1")[1] is True
    assert t.record(channel="telegram", user_id="1", direction="in", text="halo", external_id="u1")[1] is False
    with pg() as s:
        assert [line.text for line in transcripts.conversation(s, channel="telegram", user_id="1")] == ["halo"]
        assert s.execute(text("select 1")).scalar() == 1
