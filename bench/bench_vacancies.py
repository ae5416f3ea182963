"""Vacancy import throughput and search latency over a generated feed (default 1,000,000 rows)."""

from __future__ import annotations

import csv
import os
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.stats import describe_ms
from knowledge.db import init_db, make_engine, session_factory, session_scope
from knowledge.places.gazetteer import get_gazetteer
from knowledge.vacancies.importer import import_vacancies
from knowledge.vacancies.search import VacancyQuery, search_vacancies

SIZE = int(os.environ.get("BENCH_VACANCIES", "1000000"))
QUERIES_PER_CASE = 40
TITLES = [
    "Operator Produksi",
    "Operator Mesin",
    "Welder",
    "Juru Las",
    "Admin Gudang",
    "Staf Administrasi",
    "Sopir",
    "Driver Ekspedisi",
    "Satpam",
    "Security",
    "Sales Marketing",
    "SPG",
    "Kasir",
    "Staf Gudang",
    "Perawat",
    "Caregiver",
    "Cleaning Service",
    "Office Boy",
    "Koki",
    "Juru Masak",
    "Mekanik",
    "Teknisi Listrik",
    "Teknisi",
    "Guru",
    "Akuntan",
    "Programmer",
    "Kurir",
    "Customer Service",
    "Penjahit",
    "Barista",
    "Pramusaji",
    "Tukang Bangunan",
    "Helper",
    "Quality Control",
    "Supervisor Produksi",
    "Marketing Online",
]
SUFFIX = ["", "", "", " Shift", " Senior", " Junior", " (Kontrak)", " Harian", " Line 2", " Area"]
WORDS = "sinar jaya abadi makmur sentosa mitra karya utama nusantara prima global sejahtera mandiri indah".split()
EDU = ["SD", "SMP", "SMA", "SMK", "SMA/SMK", "D3", "S1", ""]
COUNTRIES = ["Taiwan", "Hong Kong", "Malaysia", "Jepang", "Singapura"]


def _feed(path: Path, rng: random.Random, regencies: list) -> None:
    today = date.today()
    # Industrial areas get more vacancies, as in real feeds.
    weights = [
        12 if r.short_name in ("Bekasi", "Karawang", "Batam", "Tangerang", "Surabaya", "Jakarta Selatan") else 1
        for r in regencies
    ]
    places = rng.choices(regencies, weights=weights, k=SIZE)
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(
            [
                "source",
                "source_id",
                "title",
                "company",
                "city",
                "province",
                "sector",
                "education",
                "salary_min",
                "salary_max",
                "posted_at",
                "expires_at",
                "country",
                "agency_license",
                "url",
                "description",
            ]
        )
        for n, place in enumerate(places):
            overseas = n % 50 == 0
            posted = today - timedelta(days=rng.randint(0, 120))
            expires = posted + timedelta(days=rng.randint(10, 90))
            company = "PT " + " ".join(rng.sample(WORDS, 2)).title() + f" {n % 5000}"
            low = rng.randint(20, 60) * 100_000
            w.writerow(
                [
                    f"feed-{n % 4}",
                    n,
                    rng.choice(TITLES) + rng.choice(SUFFIX),
                    company,
                    "" if overseas else place.name,
                    "" if overseas else place.province_name,
                    "",
                    rng.choice(EDU),
                    low,
                    low + 1_000_000,
                    posted.isoformat(),
                    expires.isoformat(),
                    rng.choice(COUNTRIES) if overseas else "",
                    f"KEP.{n % 300}/X/2020" if overseas else "",
                    "",
                    "",
                ]
            )


CASES = [
    ("operator produksi", "cikarang", None),
    ("las", "batam", None),
    ("admin", "jakarta", None),
    ("sopir", "jawa timur", None),
    ("perawat", None, None),
    ("kasir", "bandung", 3),
    ("operatr produksi", "kab bekasi", None),
    ("teknisi listrik", "surabaya", 4),
]


def main() -> None:
    """Generate, import (timed), then time typical searches."""
    rng = random.Random(7)
    gaz = get_gazetteer()
    regencies = [r for r in gaz.regions if r.kind != "provinsi"]
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "feed.csv"
        t0 = time.perf_counter()
        _feed(feed, rng, regencies)
        print(f"generated {SIZE:,} vacancies in {time.perf_counter() - t0:.1f} s")
        engine = make_engine(os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(tmp) / 'v.db'}")
        init_db(engine)
        factory = session_factory(engine)
        t0 = time.perf_counter()
        with session_scope(factory) as session:
            summary = import_vacancies(session, feed)
        elapsed = time.perf_counter() - t0
        print(f"import {SIZE:,} vacancies ({engine.dialect.name}): {elapsed:8.1f} s = {SIZE / elapsed:,.0f} rows/s")
        print(f"   {summary.line()}")
        with factory() as session:
            search_vacancies(session, VacancyQuery(job="warm up"))
            all_times = []
            for job, place, edu in CASES:
                regions = tuple(r.code for r in gaz.resolve(place).regions) if place else ()
                times, totals = [], 0
                for page in range(QUERIES_PER_CASE):
                    t = time.perf_counter()
                    r = search_vacancies(
                        session, VacancyQuery(job=job, regions=regions, education_level=edu), page=page % 4
                    )
                    times.append(time.perf_counter() - t)
                    totals = r.total
                all_times += times
                label = f"{job} @ {place or 'anywhere'}" + (f" (edu {edu})" if edu else "")
                print(f"search {label:38s} {describe_ms(times)}   [{totals} groups]")
            print(f"search all typical queries               {describe_ms(all_times)}")
        engine.dispose()


if __name__ == "__main__":
    main()
