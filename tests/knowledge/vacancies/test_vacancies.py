"""Vacancy import (canonical, mapped, broken, idempotent, cross-source) and search (filters, ranking,
expiry, paging, the overseas rule)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from knowledge.db import session_scope
from knowledge.importing import ImportFailed, RowError, parse_money
from knowledge.models import Vacancy, VacancyTerm
from knowledge.places.gazetteer import get_gazetteer
from knowledge.vacancies.importer import import_vacancies
from knowledge.vacancies.search import VacancyQuery, count_elsewhere_in_province, search_vacancies
from tanyakerja.demo import load_demo_if_empty

TODAY = date.today()
SOON = (TODAY + timedelta(days=30)).isoformat()
PAST = (TODAY - timedelta(days=2)).isoformat()
HEADER = (
    "source,source_id,title,company,city,province,sector,education,salary_min,salary_max,posted_at,"
    "expires_at,country,agency_license,url,description\n"
)


def row(
    sid,
    title,
    company,
    city,
    province="",
    education="",
    expires=SOON,
    country="",
    licence="",
    source="uji",
    posted=None,
):
    posted = posted or (TODAY - timedelta(days=int(sid[-1]) if sid[-1].isdigit() else 1)).isoformat()
    return (
        f"{source},{sid},{title},{company},{city},{province},,{education},4000000,5000000,{posted},{expires},"
        f"{country},{licence},,\n"
    )


FEED = HEADER + "".join(
    [
        row("1", "Welder FCAW", "PT. Uji Galangan Laut", "Kota Batam", "Kepulauan Riau", "SMK"),
        row("2", "Operator Produksi", "PT Uji Otomotif", "Cikarang", "Jawa Barat", "SMA/SMK"),
        row("3", "Operator Produksi", "PT Uji Plastik", "Karawang", "Jawa Barat", "S1"),
        row("4", "Admin Gudang", "PT Uji Logistik", "Kota Bekasi", "Jawa Barat", "SMA"),
        row("5", "Operator Produksi", "PT Uji Lama", "Kota Bekasi", "Jawa Barat", "SMA", expires=PAST),
        row("6", "Tukang Las", "PT Uji Baja", "Kota Cilegon", "Banten", "SMP"),
        row("7", "Sopir", "PT Uji Antar", "Kampung Durian Runtuh", "", ""),
    ]
)


@pytest.fixture
def feed_db(db, load_registry, tmp_path):
    """The small registry plus FEED, imported."""
    load_registry()
    path = tmp_path / "feed.csv"
    path.write_text(FEED, encoding="utf-8")
    with session_scope(db) as s:
        summary = import_vacancies(s, path)
    assert summary.added == 7
    return db


def _regions(text: str) -> tuple[str, ...]:
    return tuple(r.code for r in get_gazetteer().resolve(text).regions)


def _search(db, job="", place=None, **kwargs):
    with db() as s:
        return search_vacancies(
            s,
            VacancyQuery(job=job, regions=_regions(place) if place else (), **kwargs),
            today=TODAY,
            page=kwargs.pop("page", 0) if "page" in kwargs else 0,
        )


def _titles(results) -> list[str]:
    return [f"{h.title} @ {h.company}" for h in results.hits]


# ---- import ------------------------------------------------------------------------------------


def test_import_is_idempotent_and_counts_unresolved_places(db, tmp_path):
    path = tmp_path / "feed.csv"
    path.write_text(FEED, encoding="utf-8")
    with session_scope(db) as s:
        first = import_vacancies(s, path)
    assert first.line().startswith("read 7, added 7, updated 0, unchanged 0, skipped 0")
    assert "places not resolved (kept as written): 1" in first.line()
    with session_scope(db) as s:
        again = import_vacancies(s, path)
    assert again.line().startswith("read 7, added 0, updated 0, unchanged 7, skipped 0")
    path.write_text(FEED.replace("Admin Gudang", "Admin Gudang Senior"), encoding="utf-8")
    with session_scope(db) as s:
        assert import_vacancies(s, path).line().startswith("read 7, added 0, updated 1, unchanged 6")
    with db() as s:
        kept = s.scalar(select(Vacancy).where(Vacancy.source_id == "7"))
        assert (kept.city, kept.region_code) == ("Kampung Durian Runtuh", None)
        batam = s.scalar(select(Vacancy).where(Vacancy.source_id == "1"))
        assert get_gazetteer().get(batam.region_code).short_name == "Batam"


def test_broken_rows_fail_with_line_numbers_and_change_nothing(db, tmp_path):
    broken = HEADER + "".join(
        [
            row("1", "Welder", "PT Uji", "Batam"),
            "uji,2,,PT Uji,Batam,,,,,,,,,,,\n",  # line 3: no title
            row("3", "Admin", "PT Uji", "Batam").replace(SOON, "31-12-2026"),  # line 4: bad date
            "uji,4,Sopir,PT Uji,Batam,,,,lima juta,,,,,,,\n",  # line 5: bad salary
            "uji,5,Sopir,PT Uji,Batam,,,,,,,,,,javascript:alert(1),\n",  # line 6: bad url
        ]
    )
    path = tmp_path / "broken.csv"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ImportFailed) as err:
        with session_scope(db) as s:
            import_vacancies(s, path)
    assert [p.line for p in err.value.problems] == [3, 4, 5, 6]
    with db() as s:
        assert s.scalar(select(func.count()).select_from(Vacancy)) == 0
    with session_scope(db) as s:
        summary = import_vacancies(s, path, skip_invalid=True)
    assert summary.added == 1 and len(summary.skipped) == 4


@pytest.mark.parametrize(
    ("value", "amount"),
    [("4.500.000", 4_500_000), ("Rp 4,500,000", 4_500_000), ("4,5 jt", 4_500_000), ("4.5juta", 4_500_000), ("", None)],
)
def test_money(value, amount):
    assert parse_money(value, "salary_min") == amount


@pytest.mark.parametrize("value", ["lima juta", "4.5.x", "-3"])
def test_money_rejects(value):
    with pytest.raises(RowError):
        parse_money(value, "salary_min")


def test_mapped_jsonl_and_csv_feeds_and_cross_source_duplicates(db, tmp_path):
    canonical = tmp_path / "canon.csv"
    canonical.write_text(
        HEADER + row("1", "Welder FCAW", "PT. GALANGAN UJI", "Kota Batam", "Kepulauan Riau"), encoding="utf-8"
    )
    jsonl = tmp_path / "feed.jsonl"
    jsonl.write_text(
        "\n".join(
            json.dumps(o)
            for o in [
                {
                    "id": "A1",
                    "job": {"title": "WELDER FCAW (URGENT)"},
                    "firm": "PT Galangan Uji",
                    "kota": "Batam",
                    "tutup": (TODAY + timedelta(days=9)).strftime("%d-%m-%Y"),
                },
                {"id": "A2", "job": {"title": "Juru Masak"}, "firm": "PT Galangan Uji", "kota": "Batam"},
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    mapping = tmp_path / "m.yml"
    mapping.write_text(
        "source: feed-a\nformat: jsonl\nfields:\n  source_id: id\n  title: job.title\n"
        "  company: firm\n  city: kota\n  expires_at: tutup\ndate_format: '%d-%m-%Y'\n",
        encoding="utf-8",
    )
    semi = tmp_path / "feed.csv"
    semi.write_text("no;jabatan;perusahaan;lokasi\nB1;Welder FCAW;Galangan Uji, PT;batam\n", encoding="utf-8")
    mapping_b = tmp_path / "b.yml"
    mapping_b.write_text(
        "source: feed-b\nformat: csv\ndelimiter: ';'\nfields:\n  source_id: no\n  title: jabatan\n"
        "  company: perusahaan\n  city: lokasi\n",
        encoding="utf-8",
    )
    with session_scope(db) as s:
        import_vacancies(s, canonical)
        a = import_vacancies(s, jsonl, mapping_path=mapping)
        b = import_vacancies(s, semi, mapping_path=mapping_b)
    assert "same vacancy already from another source: 1" in a.line()
    assert "same vacancy already from another source: 1" in b.line()
    results = _search(db, "welder", "batam")
    assert results.total == 1
    assert set(results.hits[0].sources) == {"uji", "feed-a", "feed-b"}


@pytest.mark.parametrize(
    ("mapping", "reason"),
    [
        ("format: xml\nsource: x\nfields: {source_id: a, title: b, company: c}\n", "format"),
        ("source: x\nfields: {source_id: a, title: b}\n", "company"),
        ("source: x\nfields: {source_id: a, title: b, company: c, gaji: d}\n", "gaji"),
        ("fields: {source_id: a, title: b, company: c}\n", "source"),
    ],
)
def test_bad_mapping_files_are_named(db, tmp_path, mapping, reason):
    (tmp_path / "m.yml").write_text(mapping, encoding="utf-8")
    (tmp_path / "f.csv").write_text("a,b,c\n1,x,y\n", encoding="utf-8")
    with pytest.raises(ImportFailed, match=reason):
        with session_scope(db) as s:
            import_vacancies(s, tmp_path / "f.csv", mapping_path=tmp_path / "m.yml")


def test_broken_jsonl_line_is_numbered(db, tmp_path):
    (tmp_path / "m.yml").write_text(
        "source: x\nformat: jsonl\nfields: {source_id: id, title: t, company: c}\n", encoding="utf-8"
    )
    (tmp_path / "f.jsonl").write_text('{"id": 1, "t": "A", "c": "B"}\n{"id": 2, "t": \n[1]\n', encoding="utf-8")
    with pytest.raises(ImportFailed) as err:
        with session_scope(db) as s:
            import_vacancies(s, tmp_path / "f.jsonl", mapping_path=tmp_path / "m.yml")
    assert [p.line for p in err.value.problems] == [2, 3]


# ---- search ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("job", "place", "expected"),
    [
        ("las", "btm", ["Welder FCAW @ PT. Uji Galangan Laut"]),
        ("welder", "kota batam", ["Welder FCAW @ PT. Uji Galangan Laut"]),
        ("operator produksi", "cikarang", ["Operator Produksi @ PT Uji Otomotif"]),
        ("operatr produksi", "jabar", ["Operator Produksi @ PT Uji Otomotif", "Operator Produksi @ PT Uji Plastik"]),
        ("admin", "bekasi", ["Admin Gudang @ PT Uji Logistik"]),
        ("las", None, ["Tukang Las @ PT Uji Baja", "Welder FCAW @ PT. Uji Galangan Laut"]),
        ("sopir", None, ["Sopir @ PT Uji Antar"]),  # unresolved place, still found anywhere
        ("pilot", None, []),
    ],
)
def test_search_by_job_and_place(feed_db, job, place, expected):
    assert _titles(_search(feed_db, job, place)) == expected


def test_expired_vacancies_are_never_offered(feed_db):
    assert "PT Uji Lama" not in str(_titles(_search(feed_db, "operator produksi", "kota bekasi")))


def test_education_filter_keeps_what_the_user_qualifies_for(feed_db):
    titles = _titles(_search(feed_db, "operator produksi", "jawa barat", education_level=3))
    assert titles == ["Operator Produksi @ PT Uji Otomotif"]  # the S1 one is filtered out


def test_nothing_here_but_elsewhere_in_the_province(feed_db):
    with feed_db() as s:
        query = VacancyQuery(job="operator produksi", regions=_regions("kabupaten bogor"))
        assert search_vacancies(s, query, today=TODAY).total == 0
        province, count = count_elsewhere_in_province(s, query, today=TODAY)
    assert (get_gazetteer().get(province).name, count) == ("Jawa Barat", 2)


def test_paging(db, tmp_path):
    many = HEADER + "".join(
        row(
            f"{n:02d}",
            f"Operator Produksi Line {n}",
            f"PT Uji {n}",
            "Kota Batam",
            posted=(TODAY - timedelta(days=n)).isoformat(),
        )
        for n in range(12)
    )
    (tmp_path / "m.csv").write_text(many, encoding="utf-8")
    with session_scope(db) as s:
        import_vacancies(s, tmp_path / "m.csv")
    pages = []
    with db() as s:
        for page in range(4):
            r = search_vacancies(s, VacancyQuery(job="operator", regions=_regions("batam")), page=page, today=TODAY)
            pages.append(([h.company for h in r.hits], r.has_more))
    assert pages[0] == ([f"PT Uji {n}" for n in range(5)], True)  # newest first
    assert pages[1] == ([f"PT Uji {n}" for n in range(5, 10)], True)
    assert pages[2] == (["PT Uji 10", "PT Uji 11"], False)
    assert pages[3] == ([], False)


def test_overseas_orders_only_through_agencies_active_today(db, load_registry, tmp_path):
    load_registry()
    orders = HEADER + "".join(
        [
            row("1", "Caregiver", "Uji Care Home", "", country="taiwan", licence="KEP.771/PPTKIS/III/2020"),  # aktif
            row("2", "Operator Pabrik", "Uji Factory", "", country="Taiwan", licence="B.302/KA/V/2022"),  # dibekukan
            row("3", "Nelayan", "Uji Fishing", "", country="Taiwan", licence="SIP3MI-2023-0412"),  # dicabut
            row("4", "PRT", "Uji Family", "", country="Taiwan", licence="KEP.55/PPTKIS/I/2019"),  # expired
            row("5", "Konstruksi", "Uji Build", "", country="Taiwan", licence="KEP.404/PPTKIS/X/2020"),  # unknown
            row("6", "Cleaner", "Uji Clean", "", country="Taiwan", licence=""),  # none
        ]
    )
    (tmp_path / "o.csv").write_text(orders, encoding="utf-8")
    with session_scope(db) as s:
        import_vacancies(s, tmp_path / "o.csv")
    results = _search(db, country="Taiwan")
    assert [(h.title, h.agency_name) for h in results.hits] == [("Caregiver", "PT Uji Andalan Samudra Nusantara")]
    assert sorted(o.reason for o in results.hidden) == [
        "dibekukan",
        "dicabut",
        "kedaluwarsa",
        "tanpa_izin",
        "tidak_terdaftar",
    ]
    assert _search(db, "caregiver").total == 0  # overseas orders never appear in a domestic search


def test_demo_feeds_load_and_are_labelled(db):
    with session_scope(db) as s:
        loaded = load_demo_if_empty(s)
    assert set(loaded) >= {"agencies", "vacancies vacancies.csv", "vacancies disnaker-jatim.jsonl"}
    results = _search(db, "las", "batam")
    assert results.is_demo
    assert all("Contoh" in h.company or "CONTOH" in h.company for h in results.hits)
    assert len(results.hits[0].sources) >= 2
    with db() as s:
        assert s.scalar(select(func.count()).select_from(VacancyTerm)) > 0
