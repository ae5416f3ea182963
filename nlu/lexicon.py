"""Deterministic longest-match entities from the lists we ship (pure Python; used by the Rasa component
in nlu/lexicon_extractor.py and by tests).

Places come from the region gazetteer (38 provinces, 514 kabupaten/kota, informal names), countries from
knowledge/language/data/countries.yml, jobs from the jobs lexicon (jobs.yml), education levels from a
short list, licence numbers from the shapes in knowledge.language.companies, and company names from a
legal form ("PT", "CV") or a capitalised name after a company word ("agen", "sponsor", "LPK"). A multi-word
place keeps its kind prefix ("Kota Tanjung Pinang", "Kab. Kutai Kartanegara"); ambiguous place names
("batu", "padang") count only after a word that announces a place.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Set, Tuple

import yaml

from knowledge.language.companies import LICENSE_PATTERN, is_titlecase, stays_in_name
from knowledge.language.text import TOKEN, fold
from knowledge.language.words import NAME_STOPS
from knowledge.places.words import AMBIGUOUS_KEYS, CONTEXT_MARKERS, KIND_PREFIXES

ROOT = Path(__file__).resolve().parents[1]
PLACES = ROOT / "knowledge" / "places" / "data"
VOCAB = ROOT / "knowledge" / "language" / "data"
MAX_WINDOW = 5
# Short aliases that are also everyday words count only when written in capitals ("HK", "MY").
SHORT_ALIAS_LOWERCASE_OK = frozenset({"hk", "uea", "ksa", "uae"})
EDUCATION = frozenset("sd smp sltp sma smk slta stm smea d1 d2 d3 d4 s1 s2 s3 sarjana diploma magister".split())
EDUCATION_PHRASES = frozenset({"paket a", "paket b", "paket c", "sarjana terapan", "strata 1"})
EDUCATION_AFTER_LULUSAN = frozenset({"mi", "ma", "mts", "smk", "sma", "smp", "sd"})
COMPANY_MARKERS = frozenset(
    {
        "agen",
        "agensi",
        "sponsor",
        "pjtki",
        "pptkis",
        "p3mi",
        "lpk",
        "yayasan",
        "perusahaan",
        "namanya",
        "bernama",
        "agency",
        "agent",
        "company",
    }
)
LEGAL = frozenset({"pt", "cv"})
GENERIC_JOB_WORDS = frozenset({"kerja", "kerjaan", "pekerjaan", "bekerja", "lowongan", "loker", "jadi"})
# Job words people also use to address someone; they are a job only next to a job word.
ADDRESS_JOBS = frozenset({"admin", "cs", "customer service", "operator"})
JOB_CONTEXT = frozenset(
    """
    loker lowongan lowker kerja kerjaan pekerjaan jadi sebagai posisi bagian staf staff lulusan pelatihan kursus
    training cari nyari butuh dibutuhkan melamar lamar jobdesk vacancy job as
""".split()
)
JOB_CONTEXT_AFTER = frozenset({"gudang", "kantor", "online", "toko", "olshop", "produksi", "keuangan", "pajak"})
MAX_NAME_WORDS = 6
# Words that never start or continue a company name besides the general stop words (English function
# words, verbs people put right after "PT": "pt boleh narik biaya?", "pt nipu").
EXTRA_NAME_STOPS = frozenset(
    """
    a an the is are was of for to in on at with and or registered licensed legit legal real fake scam company agency
    boleh narik menarik nipu menipu ditipu tempat kerjanya kantornya alamatnya apa
""".split()
)
_PUNCTUATION = frozenset(',.;:!?()[]/\\"')  # a company name is at most this many words after its legal form


@dataclass(frozen=True)
class Found:
    """One entity: character span, type and the text as written."""

    start: int
    end: int
    entity: str
    value: str


@lru_cache(maxsize=1)
def _phrases() -> Dict[Tuple[str, ...], str]:
    """Folded word tuple -> entity type, from every list we ship."""
    table: Dict[Tuple[str, ...], str] = {}

    def add(text: str, kind: str) -> None:
        key = tuple(fold(text).split())
        if key and 0 < len(key) <= MAX_WINDOW:
            table.setdefault(key, kind)

    with (PLACES / "regions.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            add(row["short_name"], "location")
            if row["kind"] == "provinsi":
                add(row["name"], "location")
    for alias in yaml.safe_load((PLACES / "aliases.yml").read_text(encoding="utf-8")) or {}:
        add(str(alias), "location")
    countries = yaml.safe_load((VOCAB / "countries.yml").read_text(encoding="utf-8"))["countries"]
    for name, aliases in countries.items():
        for alias in [name, *aliases]:
            key = tuple(fold(str(alias)).split())
            if key:
                table[key] = "country"  # a country name wins over a place alias of the same spelling
    occupations = yaml.safe_load((VOCAB / "jobs.yml").read_text(encoding="utf-8"))["occupations"]
    for entry in occupations.values():
        for word in entry["words"]:
            add(str(word), "job")
    for word in EDUCATION | EDUCATION_PHRASES:
        table[tuple(word.split())] = "education"
    return table


def _kind_prefix_at(words: List[str], end: int) -> int:
    """How many words before position `end` form a kind prefix ("kota", "kab", "kabupaten adm")."""
    for prefix, _ in KIND_PREFIXES:
        n = len(prefix)
        if end - n >= 0 and tuple(words[end - n : end]) == prefix:
            return n
    return 0


def _titlecase(text: str, token: Tuple[int, int, str]) -> bool:
    return is_titlecase(text[token[0] : token[1]])


def _company_spans(text: str, tokens: List[Tuple[int, int, str]], words: List[str]) -> List[Found]:
    """'PT Sinar Jaya Abadi' (legal form kept) and 'agen Mitra Jepang' (a capitalised name after a company word)."""
    found: List[Found] = []
    cased = [text[t[0] : t[1]] for t in tokens]
    i = 0
    while i < len(words):
        word = words[i]
        start_at = None
        if word in LEGAL and words[i + 1 : i + 2] == ["nya"] and i + 2 < len(words) and _titlecase(text, tokens[i + 2]):
            start_at = i + 2  # "pt nya Mutiara Insan Sejahtera": the name without the legal form
            i += 1
        elif word in LEGAL:
            start_at = i
        elif word == "p" and i + 1 < len(words) and words[i + 1] == "t":  # "P.T."
            start_at = i
            i += 1
        elif word in COMPANY_MARKERS and i + 1 < len(words) and words[i + 1] not in LEGAL:
            following = text[tokens[i + 1][0]]
            between = set(text[tokens[i][1] : tokens[i + 1][0]])
            if following.isupper() and words[i + 1] not in NAME_STOPS and not _PUNCTUATION & between:
                start_at = i + 1  # the company word itself stays outside the name
                i += 1
        if start_at is None:
            i += 1
            continue
        j = i + 1
        proper = j < len(words) and _titlecase(text, tokens[j])
        while j < len(words) and j - i <= MAX_NAME_WORDS:
            w = words[j]
            if j > i + 1 and _PUNCTUATION & set(text[tokens[j - 1][1] : tokens[j][0]]):
                break  # "pt nipu, dokumen ..." - a comma ends the name
            stop = w in NAME_STOPS or w in EXTRA_NAME_STOPS or w in LEGAL or any(ch.isdigit() for ch in w)
            if stop and not (proper and j > i + 1 and stays_in_name(words, cased, j, EXTRA_NAME_STOPS)):
                break  # a capitalised word inside a capitalised name stays ("PT Harapan Kita Sejahtera")
            if proper and j > i + 1 and not _titlecase(text, tokens[j]):
                break  # a capitalised name ends at a word in lower case ("PT Tirta Gemilang Raya ngasih no izin")
            j += 1
        first = start_at if word in COMPANY_MARKERS and start_at == i else i + 1  # the name's first word
        j = _without_trailing_place(words, first, j) if proper else j
        if j > i + 1:
            start, end = tokens[start_at][0], tokens[j - 1][1]
            found.append(Found(start, end, "agency", text[start:end]))
        i = max(j, i + 1)
    return found


def _without_trailing_place(words: List[str], first: int, end: int) -> int:
    """The end of a capitalised name without a known place after two or more name words: the office's place
    ("PT Sinar Pelangi Tekstil Purwakarta", "LPK Hikari Gakuin Bekasi"), not part of the name."""
    table = _phrases()
    for size in range(min(3, end - first - 2), 0, -1):
        if table.get(tuple(words[end - size : end])) == "location":
            return end - size
    return end


def extract(text: str) -> List[Found]:
    """Every entity the lists recognise in a message, without overlaps, in reading order."""
    tokens = [(m.start(), m.end(), fold(m.group())) for m in TOKEN.finditer(text)]
    words = [t[2] for t in tokens]
    used = [False] * len(words)
    found: List[Found] = []

    def take(i: int, j: int, kind: str) -> None:
        used[i:j] = [True] * (j - i)
        found.append(Found(tokens[i][0], tokens[j - 1][1], kind, text[tokens[i][0] : tokens[j - 1][1]]))

    for m in LICENSE_PATTERN.finditer(text):
        span = [k for k, t in enumerate(tokens) if t[0] >= m.start() and t[1] <= m.end()]
        if span:
            take(span[0], span[-1] + 1, "license_number")
    for company in _company_spans(text, tokens, words):
        span = [k for k, t in enumerate(tokens) if t[0] >= company.start and t[1] <= company.end]
        if span and not any(used[k] for k in span):
            take(span[0], span[-1] + 1, "agency")
    table = _phrases()
    for size in range(min(MAX_WINDOW, len(words)), 0, -1):
        for i in range(len(words) - size + 1):
            if any(used[i : i + size]):
                continue
            key = tuple(words[i : i + size])
            kind = table.get(key)
            if kind is None or not _plausible(kind, key, text, tokens, words, i):
                continue
            start = i
            if kind == "job" and size > 1 and key[0] in GENERIC_JOB_WORDS and table.get(key[1:]) == "job":
                start = i + 1  # "kerja pabrik" -> "pabrik" (the annotation convention)
            if kind == "location":
                start = i - _kind_prefix_at(words, i)
                if any(used[start:i]):
                    start = i
            take(start, i + size, kind)
    return sorted(found, key=lambda f: f.start)


def _plausible(
    kind: str, key: Tuple[str, ...], text: str, tokens: List[Tuple[int, int, str]], words: List[str], i: int
) -> bool:
    """Filters for list entries that are also everyday words."""
    phrase = " ".join(key)
    before = words[i - 1] if i else ""
    raw = text[tokens[i][0] : tokens[i + len(key) - 1][1]]
    if kind == "location":
        if phrase in AMBIGUOUS_KEYS:
            return before in CONTEXT_MARKERS or _kind_prefix_at(words, i) > 0
        return len(phrase) >= 3 and not phrase.isdigit()
    if kind == "country":
        if before == "bahasa":
            return False  # "bahasa jepang" is a language (a training field), not a destination
        if len(phrase) <= 3 and phrase not in SHORT_ALIAS_LOWERCASE_OK:
            return raw.isupper()
        return True
    if kind == "education":
        if phrase in EDUCATION_AFTER_LULUSAN and phrase in ("mi", "ma", "mts"):
            return before in ("lulusan", "tamat", "tamatan", "ijazah", "pendidikan")
        return True
    if phrase in ADDRESS_JOBS:  # "selamat pagi admin", "oper ke cs ya": the person addressed, not a job
        after = words[i + len(key)] if i + len(key) < len(words) else ""
        return before in JOB_CONTEXT or after in JOB_CONTEXT_AFTER
    return len(phrase) >= 2


def merge(ours: List[Found], others: List[dict]) -> List[dict]:
    """Our entities, plus the statistical extractor's where they do not overlap ours."""
    out = [
        {
            "entity": f.entity,
            "start": f.start,
            "end": f.end,
            "value": f.value,
            "extractor": "LexiconEntityExtractor",
            "confidence_entity": 1.0,
        }
        for f in ours
    ]
    for entity in others:
        s, e = entity.get("start"), entity.get("end")
        if s is None or e is None:
            out.append(entity)
            continue
        if any(s < f.end and f.start < e for f in ours):
            continue
        out.append(entity)
    return sorted(out, key=lambda x: x.get("start") or 0)


def types_covered() -> Set[str]:
    """The entity types this extractor produces."""
    return {"location", "country", "job", "education", "license_number", "agency"}
