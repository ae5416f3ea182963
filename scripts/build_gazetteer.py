"""Rebuild knowledge/places/data/regions.csv from an unpacked copy of the npm package idn-area-data (4.x).

Usage (nothing is downloaded by this script; fetch the package yourself first):

    cd /tmp && npm pack idn-area-data@4 && tar xzf idn-area-data-*.tgz
    python scripts/build_gazetteer.py /tmp/package            # writes knowledge/places/data/regions.csv
    python scripts/build_gazetteer.py /tmp/package --check    # only compares, exit 1 on a difference
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "knowledge" / "places" / "data" / "regions.csv"
HEADER = ["code", "kind", "name", "short_name", "province_code", "province_name"]

# Display names where the source spells out the special-region title; the usual short forms are used.
PROVINCE_DISPLAY = {
    "Daerah Khusus Ibukota Jakarta": ("DKI Jakarta", "Jakarta"),
    "Daerah Khusus Jakarta": ("DKI Jakarta", "Jakarta"),
    "Daerah Istimewa Yogyakarta": ("DI Yogyakarta", "Yogyakarta"),
}
# Longest first: "Kota Administrasi X" must not be read as "Kota" + "Administrasi X".
REGENCY_PREFIXES = (
    ("Kabupaten Administrasi ", "kabupaten"),
    ("Kota Administrasi ", "kota"),
    ("Kabupaten ", "kabupaten"),
    ("Kota ", "kota"),
)
SMALL_WORDS = {"dan"}


def title_case(name: str) -> str:
    """Title Case for names the source gives in capitals ("KOTA BATAM" -> "Kota Batam"); others kept."""
    if not name.isupper():
        return name.strip()
    words = []
    for i, word in enumerate(name.lower().split()):
        parts = "-".join(p.capitalize() for p in word.split("-"))
        words.append(word if i and word in SMALL_WORDS else parts)
    return " ".join(words)


def split_regency(name: str) -> tuple[str, str]:
    """The kind ("kabupaten"/"kota") and the short name of a regency's official name."""
    for prefix, kind in REGENCY_PREFIXES:
        if name.startswith(prefix):
            return kind, name[len(prefix) :].strip()
    raise ValueError(f"regency name without Kabupaten/Kota prefix: {name!r}")


def read_csv(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV file of the package as dictionaries."""
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def build_rows(package_dir: Path) -> list[list[str]]:
    """Province and regency rows in code order (each province followed by its regencies)."""
    data = package_dir / "data" if (package_dir / "data").is_dir() else package_dir
    provinces: dict[str, tuple[str, str]] = {}
    for row in read_csv(data / "provinces.csv"):
        name = title_case(row["name"])
        provinces[row["code"]] = PROVINCE_DISPLAY.get(name, (name, name))
    rows = [[code, "provinsi", name, short, code, name] for code, (name, short) in provinces.items()]
    for row in read_csv(data / "regencies.csv"):
        name = title_case(row["name"])
        kind, short = split_regency(name)
        province_code = row["province_code"]
        if province_code not in provinces:
            raise ValueError(f"regency {row['code']} has unknown province {province_code}")
        rows.append([row["code"], kind, name, short, province_code, provinces[province_code][0]])
    rows.sort(key=lambda r: [int(part) for part in r[0].split(".")])
    return rows


def render(rows: list[list[str]]) -> str:
    """The CSV text written to regions.csv."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("package_dir", type=Path, help="unpacked idn-area-data package (folder with data/)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="compare with the existing file, write nothing")
    args = parser.parse_args(argv)
    rows = build_rows(args.package_dir)
    text = render(rows)
    kinds = [r[1] for r in rows]
    summary = {k: kinds.count(k) for k in ("provinsi", "kabupaten", "kota")}
    if args.check:
        same = args.output.exists() and args.output.read_text(encoding="utf-8") == text
        print(f"{'unchanged' if same else 'DIFFERENT'}: {summary}")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}: {summary}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
