"""Agency lookup latency over a generated 100,000-agency registry (exact, normalised, fuzzy, not found)."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from bench.stats import describe_ms
from knowledge.db import init_db, make_engine, session_factory, session_scope
from knowledge.registry.importer import import_agencies
from knowledge.registry.lookup import lookup_agency

SIZE = 100_000
QUERIES = 300
WORDS = """
abadi adi agung aksara alam amanah anugerah arta asia bahari bakti bangsa baru bersama berkah bina bintang
buana bumi cahaya cakra cipta citra damai dharma dinamika duta eka elang emas fajar gemilang global graha
guna harapan harmoni hikmah husada indah insan intan jasa jaya kalimantan karunia karya kencana kurnia
langit lestari lintas mahkota makmur mandiri manunggal mas mega mekar mitra mulia murni nusa nusantara
pelita perdana perkasa permata persada pertiwi pilar prima putra putri raya rejeki restu rezeki rizki
sahabat sakti samudra sarana sejahtera sejati sehati sentosa setia sinar sukses sumber surya tama tenaga
terang timur tirta tunas uta utama wahana wijaya yasa zamrud andalan bara delta khatulistiwa kartika
""".split()
ROMAN = "I II III IV V VI VII VIII IX X XI XII".split()


def _typo(rng: random.Random, name: str) -> str:
    """One slip: a letter dropped, doubled or swapped for a neighbour, in the longest word."""
    words = name.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    pos = rng.randrange(1, len(w) - 1)
    words[i] = rng.choice([w[:pos] + w[pos + 1 :], w[:pos] + w[pos] + w[pos:], w[:pos] + "e" + w[pos + 1 :]])
    return " ".join(words)


def _registry(rng: random.Random, path: Path) -> list[tuple[str, str]]:
    rows = []
    with path.open("w", encoding="utf-8") as fh:
        fh.write("name,license_number,status,valid_until,province,city,address,phone,countries\n")
        for n in range(SIZE):
            name = "PT " + " ".join(w.title() for w in rng.sample(WORDS, rng.choice((2, 3, 3, 4))))
            lic = f"KEP.{n}/PPTKIS/{rng.choice(ROMAN)}/{rng.randint(2015, 2025)}"
            status = rng.choice(("aktif", "aktif", "aktif", "dibekukan", "dicabut", "kedaluwarsa"))
            fh.write(f"{name},{lic},{status},2030-01-01,Jawa Timur,Malang,,,Taiwan\n")
            rows.append((name, lic))
    return rows


def main() -> None:
    """Generate, import, then time each kind of query."""
    rng = random.Random(42)
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "agencies.csv"
        rows = _registry(rng, csv_path)
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        init_db(engine)
        factory = session_factory(engine)
        t0 = time.perf_counter()
        with session_scope(factory) as session:
            summary = import_agencies(session, csv_path)
        elapsed = time.perf_counter() - t0
        print(
            f"import {SIZE:,} agencies:                {elapsed:8.1f} s "
            f"({SIZE / elapsed:,.0f} rows/s; {summary.line()})"
        )
        sample = rng.sample(rows, QUERIES)
        cases = {
            "exact licence (as written)": [lic for _, lic in sample],
            "exact licence (spaced, lower)": [lic.replace("/", " ").replace(".", " ").lower() for _, lic in sample],
            "normalised name": [f"{name.upper().replace('PT ', 'PT. ')} resmi gk" for name, _ in sample],
            "fuzzy name (one slip)": [_typo(rng, name) for name, _ in sample],
            "partial name (suggestion)": [" ".join(name.split()[1:3]) for name, _ in sample],
            "not found": [f"PT Zzq {rng.choice(WORDS)} Xyv {n}" for n in range(QUERIES)],
        }
        with factory() as session:
            lookup_agency(session, "warm up the name index")
            for label, queries in cases.items():
                times, kinds = [], {}
                for q in queries:
                    t = time.perf_counter()
                    result = lookup_agency(session, q)
                    times.append(time.perf_counter() - t)
                    kinds[result.kind] = kinds.get(result.kind, 0) + 1
                outcome = ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
                print(f"lookup {label:30s} {describe_ms(times)}   [{outcome}]")
        engine.dispose()


if __name__ == "__main__":
    main()
