"""The region gazetteer: the shipped data (38 provinces, 514 kabupaten/kota, aliases) and the resolver."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter

import pytest
import yaml

from knowledge.places.gazetteer import (
    AMBIGUOUS_KEYS,
    DATA_DIR,
    RESOLVE_FUZZY_CUTOFF,
    TEXT_FUZZY_CUTOFF,
    Gazetteer,
    Region,
    fold,
    get_gazetteer,
)


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    """The gazetteer as the application loads it."""
    return get_gazetteer()


def codes(match) -> set[str]:
    """The region codes of a match (empty for None)."""
    return {r.code for r in match.regions} if match else set()


# -- the data ---------------------------------------------------------------------------------------


def test_counts_match_the_regulation():
    with (DATA_DIR / "regions.csv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["code", "kind", "name", "short_name", "province_code", "province_name"]
        rows = list(reader)
    kinds = Counter(r["kind"] for r in rows)
    assert kinds == {"provinsi": 38, "kabupaten": 416, "kota": 98}
    assert len({r["code"] for r in rows}) == len(rows) == 552
    provinces = {r["code"]: r["name"] for r in rows if r["kind"] == "provinsi"}
    for row in rows:
        assert row["province_code"] in provinces, row
        assert row["province_name"] == provinces[row["province_code"]], row
        if row["kind"] == "provinsi":
            assert row["province_code"] == row["code"]
        else:
            assert row["code"].startswith(row["province_code"] + "."), row
            assert row["name"].endswith(" " + row["short_name"]), row
            assert row["name"].split()[0].lower() == row["kind"], row
        assert not row["name"].isupper() and row["name"] == row["name"].strip(), row


def test_province_display_names():
    names = {r.name for r in get_gazetteer().regions if r.kind == "provinsi"}
    assert {"DKI Jakarta", "DI Yogyakarta", "Kepulauan Riau", "Papua Barat Daya", "Jawa Barat", "Aceh"} <= names
    assert get_gazetteer().get("31.74").name == "Kota Administrasi Jakarta Selatan"
    assert get_gazetteer().get("31.74").short_name == "Jakarta Selatan"


def test_every_alias_code_exists_and_is_a_quoted_string(gaz):
    raw = yaml.safe_load((DATA_DIR / "aliases.yml").read_text(encoding="utf-8"))
    assert len(raw) >= 150
    for key, values in raw.items():
        assert isinstance(key, str) and fold(key) == key, key
        assert isinstance(values, list) and values, key
        for code in values:
            assert isinstance(code, str), (key, code)  # an unquoted 31.70 would load as a float
            gaz.get(code)


def test_every_alias_and_name_resolves_to_its_regions(gaz):
    for key, alias_codes in gaz.aliases.items():
        assert set(alias_codes) <= codes(gaz.resolve(key)), key
    for region in gaz.regions:
        assert region.code in codes(gaz.resolve(region.name)), region
        assert region.code in codes(gaz.resolve(region.short_name)), region
        if region.kind != "provinsi":
            assert codes(gaz.resolve(region.name)) == {region.code}, region


def test_no_common_word_is_a_key(gaz):
    keys = set(gaz.aliases) | {fold(r.short_name) for r in gaz.regions}
    common = {
        "di",
        "ke",
        "ada",
        "kota",
        "kab",
        "kerja",
        "loker",
        "las",
        "operator",
        "pabrik",
        "gk",
        "yang",
        "aja",
        "min",
        "dan",
        "atau",
        "gaji",
        "admin",
        "lulusan",
        "sma",
        "smk",
        "mana",
        "saja",
        "baru",
    }
    assert not keys & common


def test_bad_alias_code_is_rejected():
    regions = [Region("31", "provinsi", "DKI Jakarta", "Jakarta", "31", "DKI Jakarta")]
    with pytest.raises(ValueError):
        Gazetteer(regions, {"jkt": ["31.99"]})
    with pytest.raises(ValueError):
        Gazetteer(regions + [Region("32.01", "kabupaten", "Kabupaten Bogor", "Bogor", "32", "Jawa Barat")], {})


# -- resolving a location typed on its own ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Kota Batam", {"21.71"}),
        ("batam", {"21.71"}),
        ("btm", {"21.71"}),
        ("BATAM", {"21.71"}),
        ("kota batam", {"21.71"}),
        ("kab. bekasi", {"32.16"}),
        ("Kabupaten Bekasi", {"32.16"}),
        ("kab bekasi", {"32.16"}),
        ("kota bekasi", {"32.75"}),
        ("bekasi", {"32.16", "32.75"}),
        ("bks", {"32.16", "32.75"}),
        ("kab. bogor", {"32.01"}),
        ("kota bogor", {"32.71"}),
        ("bogor", {"32.01", "32.71"}),
        ("kodya bogor", {"32.71"}),
        ("cibinong", {"32.01"}),
        ("cileungsi", {"32.01"}),
        ("jaksel", {"31.74"}),
        ("jakpus", {"31.71"}),
        ("jakbar", {"31.73"}),
        ("jaktim", {"31.75"}),
        ("jakut", {"31.72"}),
        ("jkt", {"31"}),
        ("jakarta", {"31"}),
        ("DKI Jakarta", {"31"}),
        ("dki", {"31"}),
        ("Kota Administrasi Jakarta Selatan", {"31.74"}),
        ("jakarta selatan", {"31.74"}),
        ("kota adm. jakarta timur", {"31.75"}),
        ("pulau seribu", {"31.01"}),
        ("jogja", {"34"}),
        ("jogjakarta", {"34"}),
        ("yogya", {"34"}),
        ("diy", {"34"}),
        ("DI Yogyakarta", {"34"}),
        ("yogyakarta", {"34", "34.71"}),
        ("kota yogyakarta", {"34.71"}),
        ("bdg", {"32.73"}),
        ("sby", {"35.78"}),
        ("smg", {"33.74"}),
        ("mks", {"73.71"}),
        ("mdn", {"12.71"}),
        ("plg", {"16.71"}),
        ("cikarang", {"32.16"}),
        ("cibitung", {"32.16"}),
        ("cikampek", {"32.15"}),
        ("serpong", {"36.74"}),
        ("bsd", {"36.74"}),
        ("tangsel", {"36.74"}),
        ("kota tangerang", {"36.71"}),
        ("tangerang", {"36.03", "36.71", "36.74"}),
        ("tng", {"36.03", "36.71", "36.74"}),
        ("solo", {"33.72"}),
        ("surakarta", {"33.72"}),
        ("semarang", {"33.22", "33.74"}),
        ("malang", {"35.07", "35.73"}),
        ("kota malang", {"35.73"}),
        ("banjar", {"32.79", "63.03"}),
        ("surabya", {"35.78"}),
        ("semarag", {"33.22", "33.74"}),
        ("makasar", {"73.71"}),
        ("Surabaya ", {"35.78"}),
        ("cikarng", {"32.16"}),
        ("jogyakarta", {"34"}),
        ("bandng", {"32.04", "32.73"}),
        ("kab bandung barat", {"32.17"}),
        ("bandung", {"32.04", "32.73"}),
        ("jawa barat", {"32"}),
        ("jabar", {"32"}),
        ("Provinsi Jawa Barat", {"32"}),
        ("prov. jabar", {"32"}),
        ("jawa tengah", {"33"}),
        ("jateng", {"33"}),
        ("jatim", {"35"}),
        ("sumut", {"12"}),
        ("kepri", {"21"}),
        ("ntb", {"52"}),
        ("ntt", {"53"}),
        ("kaltim", {"64"}),
        ("sulsel", {"73"}),
        ("babel", {"19"}),
        ("Papua Barat Daya", {"96"}),
        ("papua", {"91"}),
        ("gorontalo", {"75", "75.01", "75.71"}),
        ("provinsi gorontalo", {"75"}),
        ("kota gorontalo", {"75.71"}),
        ("lombok", {"52.01", "52.02", "52.03", "52.08", "52.71"}),
        ("bali", {"51"}),
        ("kuta", {"51.03"}),
        ("tanjung pinang", {"21.72"}),
        ("tanjungpinang", {"21.72"}),
        ("bau-bau", {"74.72"}),
        ("palangka raya", {"62.71"}),
        ("Toli-Toli", {"72.04"}),
        ("morowali", {"72.06"}),
        ("timika", {"94.04"}),
        ("di bekasi aja", {"32.16", "32.75"}),
        ("cikarang barat", {"32.16"}),
    ],
)
def test_resolve(gaz, text, expected):
    assert codes(gaz.resolve(text)) == expected, text


def test_resolve_reports_how_and_keeps_gazetteer_order(gaz):
    assert gaz.resolve("Kota Batam").how == "exact"
    assert gaz.resolve("jaksel").how == "alias"
    typo = gaz.resolve("surabya")
    assert typo.how == "fuzzy" and RESOLVE_FUZZY_CUTOFF <= typo.score < 100
    assert [r.code for r in gaz.resolve("bekasi").regions] == ["32.16", "32.75"]
    assert gaz.resolve("kab. bekasi").text == "kab. bekasi"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Batam, Kepri", {"21.71"}),
        ("Cikarang, Jawa Barat", {"32.16"}),
        ("Sleman, Yogyakarta", {"34.04"}),
        ("Jakarta Selatan, DKI Jakarta", {"31.74"}),
        ("Batam / Surabaya", set()),
        ("Bandung, Jawa Timur", set()),
    ],
)
def test_resolve_keeps_the_narrowest_of_nested_places(gaz, text, expected):
    assert codes(gaz.resolve(text)) == expected


@pytest.mark.parametrize(
    "text",
    [
        "di mana saja",
        "kerja",
        "las",
        "operator",
        "pabrik",
        "kota",
        "ada",
        "gk",
        "loker",
        "",
        "  ",
        "kab.",
        "provinsi",
        "di",
        "Malaysia",
        "Hong Kong",
        "Singapura",
        "luar negeri",
        "remote",
        "Seluruh Indonesia",
    ],
)
def test_resolve_rejects_non_places(gaz, text):
    assert gaz.resolve(text) is None


@pytest.mark.parametrize(
    ("text", "not_expected"),
    [
        ("bandung", {"34.02", "18.71"}),
        ("bantul", {"32.04", "32.73"}),
        ("bandar lampung", {"32.73"}),
        ("batam", {"21.01"}),
        ("bintan", {"21.71"}),
        ("medan", {"12.75"}),
        ("padang", {"13.09"}),
    ],
)
def test_fuzzy_never_beats_a_real_name(gaz, text, not_expected):
    match = gaz.resolve(text)
    assert match.how == "exact" and not codes(match) & not_expected


# -- places inside a message ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("loker las di btm ada gk min", [("btm", {"21.71"})]),
        ("operator produksi cikarang", [("cikarang", {"32.16"})]),
        ("lowongan admin di jakarta selatan", [("jakarta selatan", {"31.74"})]),
        ("cari kerja di kab bekasi lulusan sma", [("kab bekasi", {"32.16"})]),
        ("yang di bekasi aja", [("bekasi", {"32.16", "32.75"})]),
        ("Loker Kab. Bogor atau Kota Bogor?", [("Kab. Bogor", {"32.01"}), ("Kota Bogor", {"32.71"})]),
        ("kerja di yogyakarta", [("yogyakarta", {"34", "34.71"})]),
        ("lowongan di jawa barat", [("jawa barat", {"32"})]),
        ("loker di padang", [("padang", {"13.71"})]),
        ("kisaran gaji operator di surabya berapa", [("surabya", {"35.78"})]),
        ("lowongan di kota semarag", [("kota semarag", {"33.74"})]),
        ("kerja tambang batu bara di kalimantan", [("kalimantan", {"61", "62", "63", "64", "65"})]),
        ("mau kerja di tangsel atau jaksel", [("tangsel", {"36.74"}), ("jaksel", {"31.74"})]),
    ],
)
def test_find_in_text(gaz, message, expected):
    found = gaz.find_in_text(message)
    assert [(m.text, codes(m)) for m in found] == expected


@pytest.mark.parametrize(
    "message",
    [
        "ada loker gk min",
        "kota mana aja yang ada lowongan",
        "rumah makan padang butuh koki",
        "kisaran gaji operator berapa",
        "PT Uji Bintang Timor Sejahtera",
        "kendala kerja di pabrik",
        "lowongan tukang batu",
        "motor bekas buat kerja",
        "loker las 2024 ada?",
        "di mana saja boleh",
    ],
)
def test_find_in_text_ignores_everyday_words(gaz, message):
    assert gaz.find_in_text(message) == []


def test_text_fuzzy_is_strict():
    assert TEXT_FUZZY_CUTOFF > RESOLVE_FUZZY_CUTOFF
    assert {"batu", "padang", "batu bara", "kisaran"} <= AMBIGUOUS_KEYS


# -- structure ----------------------------------------------------------------------------------------


def test_province_helpers(gaz):
    jaksel = gaz.get("31.74")
    assert gaz.province_of(jaksel).name == "DKI Jakarta"
    assert [r.code for r in gaz.regions_in_province("31")] == ["31.01", "31.71", "31.72", "31.73", "31.74", "31.75"]
    assert len(gaz.regions_in_province("32")) == 27
    assert len(gaz.regions_in_province("35")) == 38
    assert gaz.expand([gaz.get("31")]) == {"31.01", "31.71", "31.72", "31.73", "31.74", "31.75"}
    assert gaz.expand([jaksel, gaz.get("32.16")]) == {"31.74", "32.16"}
    assert gaz.expand(gaz.resolve("jabar").regions) == {r.code for r in gaz.regions_in_province("32")}
    with pytest.raises(KeyError):
        gaz.get("99.99")


def test_loaded_once_and_nothing_at_import():
    assert get_gazetteer() is get_gazetteer()
    code = (
        "import sys, knowledge.places.gazetteer as r\n"
        "assert r.get_gazetteer.cache_info().currsize == 0\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('rasa_sdk', 'fastapi', 'telegram', 'sqlalchemy')]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
