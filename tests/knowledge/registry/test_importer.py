"""`tanyakerja import agencies`: strict validation with line numbers, one transaction, idempotence."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge.db import session_scope
from knowledge.importing import ImportFailed
from knowledge.models import Agency, Dataset, LicenseStatus
from knowledge.registry.importer import import_agencies
from tanyakerja.demo import load_demo_if_empty

HEADER = "name,license_number,status,valid_until,province,city,address,phone,countries\n"
GOOD = HEADER + (
    "PT Uji Satu,KEP.1/PPTKIS/I/2020,aktif,2030-01-01,Jawa Timur,Malang,Jl. A,,Taiwan; Hong Kong\n"
    "PT Uji Dua,B.2/KA/II/2021,SUSPENDED,,Jawa Barat,Bekasi,,,\n"
    "PT Uji Tiga,SIP3MI-2022-0003,revoked,2025-01-01,,,,,Malaysia\n"
)


def _write(tmp_path: Path, text: str, name: str = "agencies.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(db, path: Path, **kwargs):
    with session_scope(db) as session:
        return import_agencies(session, path, **kwargs)


def _count(db) -> int:
    with db() as session:
        return session.scalar(select(func.count()).select_from(Agency))


def test_good_file_then_idempotent_then_update(db, tmp_path):
    path = _write(tmp_path, GOOD)
    first = _import(db, path, as_of=date(2026, 11, 1))
    assert first.line() == "read 3, added 3, updated 0, unchanged 0, skipped 0"
    assert _import(db, path).line() == "read 3, added 0, updated 0, unchanged 3, skipped 0"
    changed = _write(tmp_path, GOOD.replace("SUSPENDED", "aktif"), "v2.csv")
    assert _import(db, changed).line() == "read 3, added 0, updated 1, unchanged 2, skipped 0"
    with db() as session:
        one = session.scalar(select(Agency).where(Agency.name == "PT Uji Satu"))
        assert one.countries == "Taiwan;Hong Kong"
        assert session.scalar(select(Agency.status).where(Agency.name == "PT Uji Dua")) is LicenseStatus.AKTIF
        assert session.get(Dataset, "agencies").source_file == "v2.csv"


def test_broken_rows_are_reported_with_line_numbers_and_nothing_changes(db, tmp_path):
    _import(db, _write(tmp_path, GOOD))
    broken = HEADER + (
        "PT Uji Empat,KEP.4/X/2020,aktif,,,,,,\n"  # line 2: fine
        "PT Uji Lima,KEP.5/X/2020,hampir aktif,,,,,,\n"  # line 3: unknown status
        ",KEP.6/X/2020,aktif,,,,,,\n"  # line 4: no name
        "PT Uji Tujuh,KEP.7/X/2020,aktif,31-12-2030,,,,,\n"  # line 5: bad date
        "PT Uji Delapan,,aktif,,,,,,\n"  # line 6: no licence number
    )
    with pytest.raises(ImportFailed) as err:
        _import(db, _write(tmp_path, broken, "broken.csv"))
    problems = {p.line: p.reason for p in err.value.problems}
    assert sorted(problems) == [3, 4, 5, 6]
    assert "hampir aktif" in problems[3] and "name" in problems[4]
    assert "valid_until" in problems[5] and "license_number" in problems[6]
    assert _count(db) == 3  # unchanged


def test_skip_invalid_imports_the_rest_and_lists_skipped_lines(db, tmp_path):
    text = GOOD + "PT Uji Empat,KEP.4/X/2020,entah,,,,,,\n" + "PT Uji Lima,KEP.5/X/2020,aktif,,,,,,\n"
    summary = _import(db, _write(tmp_path, text), skip_invalid=True)
    assert summary.line() == "read 5, added 4, updated 0, unchanged 0, skipped 1"
    assert [(p.line, "entah" in p.reason) for p in summary.skipped] == [(5, True)]


def test_repeated_licence_number_names_both_lines(db, tmp_path):
    text = GOOD + "PT Uji Kembar,kep 1 pptkis i 2020,aktif,,,,,,\n"
    with pytest.raises(ImportFailed) as err:
        _import(db, _write(tmp_path, text))
    [problem] = err.value.problems
    assert problem.line == 5 and "line 2" in problem.reason


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        ("", 1, "empty"),
        ("name,status\nPT A,aktif\n", 1, "license_number"),
        (HEADER + 'PT A,KEP.1/X/2020,aktif\n"PT B,KEP.2/X/2020,aktif\n', 3, "quoting"),
        (HEADER + "PT A,KEP.1/X/2020,aktif,,,,,,,,,extra\n", 2, "fields"),
    ],
)
def test_unreadable_files(db, tmp_path, content, line, words):
    with pytest.raises(ImportFailed) as err:
        _import(db, _write(tmp_path, content))
    assert err.value.problems[0].line == line
    assert words in err.value.problems[0].reason


def test_not_utf8_names_the_line(db, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        (HEADER + "PT A,KEP.1/X/2020,aktif,,,,,,\nPT Caf\xe9,KEP.2/X/2020,aktif,,,,,,\n").encode("latin-1")
    )
    with pytest.raises(ImportFailed) as err:
        _import(db, path)
    assert err.value.problems[0].line == 3


def test_bom_other_column_order_and_extra_columns(db, tmp_path):
    text = "\ufeffStatus,License_Number,catatan,Name\naktif,KEP.1/X/2020,DATA FIKTIF,PT Uji Satu\n"
    assert _import(db, _write(tmp_path, text)).added == 1


def test_real_registry_replaces_the_demo_registry(db, tmp_path):
    with session_scope(db) as session:
        loaded = load_demo_if_empty(session)
    assert loaded["agencies"].added >= 50
    with session_scope(db) as session:
        assert load_demo_if_empty(session) == {}  # not loaded twice
    summary = _import(db, _write(tmp_path, GOOD))
    assert "demo registry removed" in summary.line()
    assert _count(db) == 3
    with db() as session:
        assert session.get(Dataset, "agencies").is_demo is False


def test_demo_registry_is_fictional_and_covers_every_status(db):
    with session_scope(db) as session:
        load_demo_if_empty(session)
    with db() as session:
        rows = list(session.scalars(select(Agency)))
    assert len(rows) >= 50
    assert all("Contoh" in a.name and not a.phone for a in rows)
    assert {a.status for a in rows} == set(LicenseStatus)
    assert any(a.status is LicenseStatus.AKTIF and a.valid_until and a.valid_until < date.today() for a in rows)


def _cli(*args: str, db_url: str) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).parent / "tanyakerja"
    return subprocess.run(
        [str(exe), *args],
        env={"DATABASE_URL": db_url, "PATH": str(exe.parent)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_command_line(tmp_path):
    db_url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert _cli("db", "init", db_url=db_url).returncode == 0
    good = _write(tmp_path, GOOD)
    done = _cli("import", "agencies", str(good), "--as-of", "2026-11-01", db_url=db_url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines() == ["agencies: read 3, added 3, updated 0, unchanged 0, skipped 0"]
    bad = _write(tmp_path, GOOD + "PT X,KEP.9/X/2020,aktif,2030-13-01,,,,,\n", "bad.csv")
    failed = _cli("import", "agencies", str(bad), db_url=db_url)
    assert failed.returncode == 1
    assert "bad.csv line 5: valid_until '2030-13-01'" in failed.stderr
    assert "nothing was changed" in failed.stderr
    again = _cli("import", "agencies", str(good), db_url=db_url)
    assert "unchanged 3" in again.stdout
    assert _cli("import", "agencies", str(good), "--as-of", "kemarin", db_url=db_url).returncode == 2
    skipped = _cli("import", "agencies", str(bad), "--skip-invalid", db_url=db_url)
    assert skipped.returncode == 0 and "skipped 1" in skipped.stdout and "line 5" in skipped.stderr
