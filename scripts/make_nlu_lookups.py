"""Regenerate nlu/data/lookups.yml (country synonyms and the country/location/job lookup tables).

Sources (nothing is downloaded):
  knowledge/data/countries.yml        canonical country names and the variants people type
  knowledge/gazetteer/regions.csv     38 provinces and 514 kabupaten/kota (short names, province names)
  knowledge/gazetteer/aliases.yml     informal place names, abbreviations, towns and industrial estates
  knowledge/data/jobs.yml             occupation words

Usage:
  .venv/bin/python scripts/make_nlu_lookups.py            # rewrite nlu/data/lookups.yml
  .venv/bin/python scripts/make_nlu_lookups.py --check    # exit 1 when the file is out of date

Why some entries are left out: config.yml runs RegexFeaturizer with `use_word_boundaries: false` and
case-sensitive matching, so a lookup entry also fires *inside* longer words ("las" in "jelas", "uk" in
"untuk", "bali" in "kembali"). Entries shorter than 3 characters, and entries found inside one of the
common chat words below, are therefore dropped from the lookup tables (they stay in the synonyms and the
CRF still learns them from the annotated examples). Matching is case-sensitive, so each entry is written
in lower case and Title Case (and upper case for short abbreviations such as BTM, NTB, PRT).
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ROOT / "knowledge" / "data" / "countries.yml"
JOBS = ROOT / "knowledge" / "data" / "jobs.yml"
REGIONS = ROOT / "knowledge" / "gazetteer" / "regions.csv"
ALIASES = ROOT / "knowledge" / "gazetteer" / "aliases.yml"
OUTPUT = ROOT / "nlu" / "data" / "lookups.yml"

MIN_LENGTH = 3
UPPER_MAX_LENGTH = 4
# Frequent words of user messages (Indonesian, regional, English). A lookup entry found inside one of
# them (and not equal to it) would mark the wrong token, so it is dropped. Hand-written, not taken from
# the training or test examples.
COMMON_WORDS = """
    ada adalah agama agen agensi agar aja ajak akan aku akun alamat amanah ambil anak apa apakah asli atau
    awal bagaimana bahasa baik balas balik bandara bangun banyak bantu bantuan barang baru batal bawa bayar
    bekerja belajar belanja belum benar bener berangkat berapa berita biaya bikin bilang bisa boleh bukan
    bulan buruh butuh cara cari cepat cerita cuma daftar dalam dan dapat dapet darurat dari datang dengan
    desa di dia dibayar dibutuhkan dicabut dijual dikembalikan dimana dipaksa dipukul disiksa ditahan
    dokumen dong duit emang gak gaji gajinya gimana global gratis gimana harga harus hubungi ijazah ikut
    ilegal ingin info informasi itu izin jadi jalan jalur jawab jawaban jelas jemput juga kabar kabur kakak koki
    kalau kalo kampung kanada kantor kapan karena kartu kasih katanya kelas kembali kemana kena kenapa
    kepada kerja keluar keluarga kerjaan kesehatan kirim kok kontrak korban kurang lagi lahir lama lapor
    lebih legal lewat lihat lowongan lulus lulusan lupa mahal majikan makan makasih maksud malam mana masih
    masuk mau melamar membantu mencari mendaftar menipu mksh mohon mulai murah nama namanya negara nggak
    ngurus nomor nunggu nusantara obat online orang paksa pakai paling panggil pasang paspor pegawai
    pekerjaan pelatihan pendaftaran penipuan pengalaman pengurusan penipu perempuan perusahaan phk pinjam
    pulang punya robot rumah saja sama sampai sangat saya sebelum sebulan sedang sekarang selama seragam
    sertifikat setelah siapa sudah suka supaya surat susah syarat tahun tanda tanya tapi telepon teman
    tempat tenaga terima tetangga tiket tidak tinggal tolong transfer tukang tunggu uang umur untuk urus
    usaha usia visa wajib waktu yang
    ngobrol dulu kudu piye opo ora iki kuwi sing ono neng karo wae sampeyan kumaha naon teu abdi hoyong
    the and for job jobs start smart heart part party work worker working with what where when about
    please help agent agency salary passport contract employer
""".split()


def _forms(entry: str) -> set[str]:
    """The written forms of an entry the case-sensitive featurizer should know."""
    low = entry.strip().lower()
    forms = {low, low.title()}
    if len(low) <= UPPER_MAX_LENGTH:
        forms.add(low.upper())
    return forms


def _keep(entry: str, table_words: set[str]) -> bool:
    low = entry.lower()
    if len(low) < MIN_LENGTH:
        return False
    return all(not (low in word and low != word and word not in table_words) for word in COMMON_WORDS)


def _table(entries: set[str]) -> list[str]:
    entries = {e.strip().lower() for e in entries if e and e.strip()}
    words = {w for e in entries for w in e.split()}
    kept: set[str] = set()
    for e in entries:
        if _keep(e, words):
            kept |= _forms(e)
    return sorted(kept, key=lambda s: (-len(s), s))  # longest first: "kab bekasi" before "bekasi"


def countries() -> dict[str, list[str]]:
    return yaml.safe_load(COUNTRIES.read_text(encoding="utf-8"))["countries"]


def country_entries() -> set[str]:
    return set(countries()) | {a for aliases in countries().values() for a in aliases}


def location_entries() -> set[str]:
    entries: set[str] = set()
    with REGIONS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            entries.add(row["short_name"])
            entries.add(row["province_name"])
            if row["kind"] == "provinsi":
                entries.add(row["name"])
    aliases = yaml.safe_load(ALIASES.read_text(encoding="utf-8")) or {}
    entries |= {str(key) for key in aliases}
    return entries


def job_entries() -> set[str]:
    raw = yaml.safe_load(JOBS.read_text(encoding="utf-8"))["occupations"]
    return {w for occ in raw.values() for w in occ["words"]}


def synonyms() -> list[tuple[str, list[str]]]:
    """Canonical country name -> every variant (lower-cased canonical included) that differs from it."""
    out = []
    for name, aliases in countries().items():
        variants = sorted({a.strip().lower() for a in [name, *aliases]} - {name})
        if variants:
            out.append((name, variants))
    return out


def render() -> str:
    lines = [
        'version: "3.1"',
        "# GENERATED by scripts/make_nlu_lookups.py from knowledge/data/countries.yml, knowledge/data/jobs.yml,",
        "# knowledge/gazetteer/regions.csv and knowledge/gazetteer/aliases.yml. Do not edit by hand: edit those",
        "# files and run `.venv/bin/python scripts/make_nlu_lookups.py`.",
        "# Synonyms map the country a user typed to the name in countries.yml (korsel -> Korea Selatan).",
        "# Lookup tables are RegexFeaturizer features only (RegexEntityExtractor has use_lookup_tables: false).",
        "nlu:",
    ]
    for name, variants in synonyms():
        lines.append(f"- synonym: {name}")
        lines.append("  examples: |")
        lines.extend(f"    - {v}" for v in variants)
    for table, entries in (("country", country_entries()), ("location", location_entries()), ("job", job_entries())):
        lines.append(f"- lookup: {table}")
        lines.append("  examples: |")
        lines.extend(f"    - {e}" for e in _table(entries))
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 when out of date")
    args = parser.parse_args()
    text = render()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT.relative_to(ROOT)} is out of date; run scripts/make_nlu_lookups.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT.relative_to(ROOT)} is up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    counts = {
        t: len(_table(e))
        for t, e in (("country", country_entries()), ("location", location_entries()), ("job", job_entries()))
    }
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(synonyms())} synonyms, lookup entries {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
