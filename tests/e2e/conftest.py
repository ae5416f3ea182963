"""One real stack for the end-to-end tier, on data the tests bring (fictional "Uji" names)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest

from tests.support import fake_telegram, fake_whatsapp
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_whatsapp import FakeWhatsApp
from tests.support.stackctl import REPO_ROOT, chat, running_stack

REGISTRY = """name,license_number,status,valid_until,province,city,address,phone,countries
PT Uji Andalan Samudra Nusantara,KEP.771/PPTKIS/III/2020,aktif,2030-12-31,Jawa Timur,Malang,Jl. Uji 1,,Taiwan;Hong Kong
PT Uji Bara Kencana Mulia,B.302/KA/V/2022,dibekukan,2030-06-30,Jawa Barat,Cirebon,Jl. Uji 2,,Malaysia
PT Uji Cipta Lintas Benua,SIP3MI-2023-0412,dicabut,,Nusa Tenggara Barat,Mataram,Jl. Uji 3,,Arab Saudi
PT Uji Delta Prima Sejati,KEP.55/PPTKIS/I/2019,aktif,2024-01-31,Jawa Tengah,Semarang,Jl. Uji 4,,Singapura
PT Uji Elang Mas Perkasa,B.90/KA/II/2021,kedaluwarsa,2023-02-28,Lampung,Bandar Lampung,Jl. Uji 5,,Korea Selatan
"""
_SOON = (date.today() + timedelta(days=30)).isoformat()
_PAST = (date.today() - timedelta(days=1)).isoformat()
VACANCIES = (
    "source,source_id,title,company,city,province,sector,education,salary_min,salary_max,posted_at,expires_at,"
    "country,agency_license,url,description\n"
    f"uji-karirhub,1,Welder FCAW,PT. Uji Galangan Laut,Kota Batam,Kepulauan Riau,,SMK,5000000,6000000,,{_SOON},,,,\n"
    f"uji-karirhub,2,Operator Produksi,PT Uji Otomotif,Cikarang,Jawa Barat,,SMA,5200000,,,{_SOON},,,,\n"
    f"uji-karirhub,3,Operator Produksi,PT Uji Plastik,Karawang,Jawa Barat,,SMA,5100000,,,{_SOON},,,,\n"
    f"uji-karirhub,4,Operator Produksi,PT Uji Tutup,Kota Bekasi,Jawa Barat,,SMA,,,,{_PAST},,,,\n"
    f"uji-so,5,Caregiver,Uji Care Home,,,,SMP,,,,{_SOON},Taiwan,KEP.771/PPTKIS/III/2020,,\n"
    f"uji-so,6,Operator Pabrik,Uji Factory,,,,SMA,,,,{_SOON},Taiwan,B.302/KA/V/2022,,\n"
)
JSONL = (
    json.dumps(
        {
            "id": "J1",
            "jabatan": "WELDER FCAW",
            "perusahaan": "PT UJI GALANGAN LAUT",
            "kota": "Batam",
            "tutup": (date.today() + timedelta(days=20)).strftime("%d-%m-%Y"),
        }
    )
    + "\n"
)
TRAININGS = (
    "title,provider,city,province,field,start_date,end_date,fee,quota,registration_url,description\n"
    f"Pengelasan SMAW,BLK Uji Bekasi,Kabupaten Bekasi,Jawa Barat,Las,{_SOON},,0,16,,\n"
)
STAFF = ("petugas-uji", "kata-sandi-uji-123")
MAPPING = (
    "source: uji-kepri\nformat: jsonl\nfields:\n  source_id: id\n  title: jabatan\n  company: perusahaan\n"
    "  city: kota\n  expires_at: tutup\ndate_format: '%d-%m-%Y'\n"
)


def _cli(args: list[str], db_url: str, stdin: str | None = None) -> str:
    cli = str(Path(sys.executable).parent / "tanyakerja")
    done = subprocess.run(
        [cli, *args],
        check=True,
        # PYTHONPATH: this checkout's code, whichever checkout the console script was installed from
        env={"DATABASE_URL": db_url, "PATH": str(Path(sys.executable).parent), "PYTHONPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
        input=stdin,
    )
    return done.stdout


TELEGRAM_SECRET = "uji-rahasia-webhook"


@pytest.fixture(scope="session")
def telegram_api():
    """The fake Bot API the stack's Telegram channel talks to (webhook mode)."""
    api = FakeTelegram().start()
    yield api
    api.stop()


@pytest.fixture(scope="session")
def whatsapp_api():
    """The fake Graph API the stack's WhatsApp channel talks to."""
    api = FakeWhatsApp().start()
    yield api
    api.stop()


def channel_env(telegram_api: FakeTelegram, whatsapp_api: FakeWhatsApp) -> dict[str, str]:
    """Both channels on, against the fakes, with exactly the variables CONTRACTS.md names."""
    return {
        "TELEGRAM_TOKEN": fake_telegram.TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": TELEGRAM_SECRET,
        "TELEGRAM_API_URL": telegram_api.base,
        "WHATSAPP_TOKEN": fake_whatsapp.TOKEN,
        "WHATSAPP_PHONE_NUMBER_ID": fake_whatsapp.PHONE_NUMBER_ID,
        "WHATSAPP_APP_SECRET": fake_whatsapp.APP_SECRET,
        "WHATSAPP_VERIFY_TOKEN": fake_whatsapp.VERIFY_TOKEN,
        "WHATSAPP_API_URL": whatsapp_api.api_url,
    }


@pytest.fixture(scope="session")
def stack(tmp_path_factory, telegram_api, whatsapp_api):
    """The stack on a database holding only the tests' data (so no demo data is loaded), channels on."""
    work = tmp_path_factory.mktemp("stack")
    for name, content in {
        "registry.csv": REGISTRY,
        "vacancies.csv": VACANCIES,
        "kepri.jsonl": JSONL,
        "kepri.yml": MAPPING,
        "trainings.csv": TRAININGS,
    }.items():
        (work / name).write_text(content, encoding="utf-8")
    db_url = f"sqlite:///{work / 'app.db'}"
    _cli(["db", "init"], db_url)
    assert "added 5" in _cli(["import", "agencies", str(work / "registry.csv"), "--as-of", "2026-11-01"], db_url)
    assert "added 6" in _cli(["import", "vacancies", str(work / "vacancies.csv")], db_url)
    assert "same vacancy already from another source: 1" in _cli(
        ["import", "vacancies", str(work / "kepri.jsonl"), "--mapping", str(work / "kepri.yml")], db_url
    )
    assert "added 1" in _cli(["import", "trainings", str(work / "trainings.csv")], db_url)
    _cli(["staff", "add", STAFF[0], "--password-stdin"], db_url, stdin=STAFF[1] + "\n")
    with running_stack(work, extra_env=channel_env(telegram_api, whatsapp_api)) as running:
        with httpx.Client() as client:
            yield running, client


@pytest.fixture
def say(stack):
    """say(user, text) -> (all reply texts joined, every button offered) through /api/chat."""
    running, client = stack

    def _say(user: str, text: str) -> tuple[str, list[dict]]:
        replies = chat(client, running.base_url, user, text)
        return "\n".join(r.get("text") or "" for r in replies), [b for r in replies for b in r.get("buttons", [])]

    return _say


@pytest.fixture(scope="session")
def long_vacancies(stack, tmp_path_factory) -> None:
    """Five welder vacancies in Dumai whose long names and links make one result page over 4,096 characters."""
    running, _ = stack
    soon = (date.today() + timedelta(days=30)).isoformat()
    rows = "".join(
        f"uji-panjang,{n},Welder SMAW {name} {'Konstruksi Baja Berat ' * 10},"
        f"PT Uji {name} Karya Panjang {'Sentosa Abadi ' * 12},"
        f"Kota Dumai,Riau,,SMK,,,,{soon},,,https://loker.uji.example/{name.lower()}/{'lowongan-' * 90},\n"
        for n, name in enumerate(("Alfa", "Bravo", "Charlie", "Delta", "Echo"), start=1)
    )
    path = tmp_path_factory.mktemp("long") / "long.csv"
    path.write_text(VACANCIES.split("\n", 1)[0] + "\n" + rows, encoding="utf-8")
    assert "added 5" in _cli(["import", "vacancies", str(path)], running.database_url)
