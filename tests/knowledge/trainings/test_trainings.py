"""Training import and search: free marked, upcoming vs running, finished never offered, paging, links."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from actions.base import set_session_factory
from actions.paging import ActionShowMore
from actions.training import ActionSearchTrainings
from actions.vacancy import ActionSearchVacancies
from knowledge.db import session_scope
from knowledge.importing import ImportFailed
from knowledge.places.gazetteer import get_gazetteer
from knowledge.trainings.importer import import_trainings
from knowledge.trainings.search import TrainingQuery, search_trainings
from tests.factories import ent, located, run_action, tracker, write  # noqa: F401

T = date.today()
HEADER = "title,provider,city,province,field,start_date,end_date,fee,quota,registration_url,description\n"


def d(days: int) -> str:
    return (T + timedelta(days=days)).isoformat()


CSV = HEADER + "".join(
    [
        f"Pengelasan SMAW,BLK Uji Bekasi,Kabupaten Bekasi,Jawa Barat,Las,{d(10)},{d(40)},0,16,https://x.invalid/1,\n",
        f"Welder FCAW,LPK Uji Batam,Kota Batam,Kepulauan Riau,Las,{d(3)},{d(30)},1500000,12,,\n",
        f"Las Pipa 3G,BLK Uji Cilegon,Kota Cilegon,Banten,Las,{d(-5)},{d(20)},0,10,,\n",  # running
        f"Las Dasar Lama,BLK Uji Lama,Kota Batam,Kepulauan Riau,Las,{d(-60)},{d(-2)},0,10,,\n",  # finished
        f"Menjahit,BLK Uji Semarang,Kota Semarang,Jawa Tengah,Jahit,{d(5)},{d(30)},0,16,,\n",
    ]
)


@pytest.fixture
def trainings(db, tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text(CSV, encoding="utf-8")
    with session_scope(db) as s:
        assert import_trainings(s, path).added == 5
    with session_scope(db) as s:
        assert import_trainings(s, path).unchanged == 5
    set_session_factory(db)
    yield db
    set_session_factory(None)


def _codes(place: str) -> tuple[str, ...]:
    return tuple(r.code for r in get_gazetteer().resolve(place).regions)


def test_search_order_free_running_and_finished(trainings):
    with trainings() as s:
        r = search_trainings(s, TrainingQuery(field="las"))
    assert [h.title for h in r.hits] == ["Welder FCAW", "Pengelasan SMAW", "Las Pipa 3G"]  # upcoming first
    assert [h.running for h in r.hits] == [False, False, True]
    assert [h.fee for h in r.hits] == [1500000, 0, 0]
    with trainings() as s:
        batam = search_trainings(s, TrainingQuery(field="welder", regions=_codes("btm")))
    assert [h.title for h in batam.hits] == ["Welder FCAW"]  # the finished one is never offered


def test_broken_rows(db, tmp_path: Path):
    path = tmp_path / "t.csv"
    path.write_text(
        HEADER
        + f",BLK,Batam,,Las,{d(1)},{d(2)},0,1,,\n"
        + f"Las,BLK,Batam,,Las,{d(5)},{d(1)},0,1,,\n"
        + f"Las,BLK,Batam,,Las,{d(1)},{d(2)},gratis,1,,\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportFailed) as err:
        with session_scope(db) as s:
            import_trainings(s, path)
    assert [p.line for p in err.value.problems] == [2, 3, 4]


async def test_training_answer_marks_free_and_links_to_vacancies(trainings):
    [msg] = (
        await run_action(ActionSearchTrainings(), tracker("pelatihan las", slots={"job": "las", "location": "*"}))
    ).messages
    assert "GRATIS" in msg["text"] and "Biaya: Rp1.500.000" in msg["text"] and "sedang berjalan" in msg["text"]
    assert {"title": "Lowongan las", "payload": '/search_vacancy{"job":"las"}'} in msg["buttons"]


async def test_empty_vacancy_search_offers_a_related_training(trainings):
    [msg] = (
        await run_action(
            ActionSearchVacancies(),
            tracker("loker las di batam", intent="search_vacancy", slots={"job": "las", "location": "batam"}),
        )
    ).messages
    assert "Belum ada lowongan" in msg["text"]
    assert "1 pelatihan tukang las / welder yang masih dibuka di Kepulauan Riau" in msg["text"]
    assert {"title": "Pelatihan las", "payload": '/search_training{"job":"las"}'} in msg["buttons"]


async def test_lihat_lagi_pages_the_training_search(trainings):
    [msg] = (
        await run_action(
            ActionShowMore(),
            tracker(
                "lihat lagi",
                intent="show_more",
                slots={"job": "las", "location": "*", "last_search": "training", "vacancy_page": 0.0},
            ),
        )
    ).messages
    # the training list's own wording, not the vacancy one
    assert msg["text"].startswith("Itu sudah semua pelatihan") and "lowongan" not in msg["text"]


def test_import_command(tmp_path):
    import subprocess
    import sys

    exe = str(Path(sys.executable).parent / "tanyakerja")
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'c.db'}", "PATH": str(Path(sys.executable).parent)}
    (tmp_path / "t.csv").write_text(CSV, encoding="utf-8")
    done = subprocess.run(
        [exe, "import", "trainings", str(tmp_path / "t.csv")], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0 and done.stdout.startswith(
        "trainings: read 5, added 5, updated 0, unchanged 0, skipped 0"
    )
    (tmp_path / "bad.csv").write_text(CSV + "X,Y,Batam,,Las,2026-13-01,,0,1,,\n", encoding="utf-8")
    bad = subprocess.run(
        [exe, "import", "trainings", str(tmp_path / "bad.csv")], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 1 and "bad.csv line 7: start_date" in bad.stderr
