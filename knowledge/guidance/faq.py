"""Questions about one fact ("LTSA itu apa?", "tes EPS nya apa aja?", "tiket pesawat jg gratis?",
"surat izin suami ditandatangani siapa?"): the sourced facts of knowledge/content that answer them.

Two ways, both only ever returning facts we have (never a made-up answer):
- the glossary (knowledge/guidance/glossary.yml): a term people ask about, and the facts that explain it,
  for "X itu apa", "apa itu X", "beda X sama Y";
- a small BM25 ranking over the words of every fact, with the domain's synonyms ("medical" -> medis,
  "kontrak" -> perjanjian kerja). The topic of the answer just given (e.g. "eps" after the Korea answer)
  weighs more, so "tesnya apa aja?" after it finds the EPS test.
A match must be clear (a rare word of the fact, or several words); otherwise nothing, and the caller
answers as it would have.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from knowledge.facts import all_facts
from knowledge.language import words as informal
from knowledge.language.spelling import normalize_word
from knowledge.language.text import fold

GLOSSARY_FILE = Path(__file__).parent / "glossary.yml"
# Country notes are answered by the channel and requirement answers, not as a loose fact.
_EXCLUDED_PREFIXES = ("country_",)
_WHAT_IS = re.compile(
    r"\b(itu apa|apa itu|apaan|apa sih|artinya apa|maksudnya apa|singkatan|beda\w*|sama dengan|sama dgn|sama aja)\b"
)
_SUFFIXES = ("nya", "kah", "lah", "an")
# A clear match (calibrated on tests/knowledge/guidance/test_faq.py): after an answer, a rare word of it is
# enough; out of the blue, two words and a higher score.
MIN_SCORE = 3.6
MIN_SCORE_COLD = 6.0
SHOWN_WEIGHT = 3.0  # a fact of the answer just given ("bayar gak kesana?" after the LTSA answer)
TERM_WEIGHT = 2.0  # a fact explaining a term the question names ("BLK itu bayar gak?")
TOPIC_WEIGHT = 1.5


@dataclass(frozen=True)
class _Index:
    words: dict[str, frozenset[str]]  # fact id -> its (stemmed) words
    idf: dict[str, float]
    topic: dict[str, str]  # fact id -> topic
    length: dict[str, int]
    average: float


@lru_cache(maxsize=1)
def _glossary() -> tuple[dict[str, tuple[str, ...]], dict[str, list[str]]]:
    """(term -> fact ids, synonyms: word -> words it also means), from glossary.yml."""
    data = yaml.safe_load(GLOSSARY_FILE.read_text(encoding="utf-8"))
    facts = all_facts()
    terms: dict[str, tuple[str, ...]] = {}
    for term, ids in (data.get("terms") or {}).items():
        missing = [i for i in ids if i not in facts]
        if missing:
            raise ValueError(f"glossary term {term!r} names unknown facts {missing}")
        terms[fold(str(term))] = tuple(ids)
    synonyms = {fold(str(w)): fold(str(v)).split() for w, v in (data.get("synonyms") or {}).items()}
    return terms, synonyms


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _words(text: str) -> list[str]:
    return [_stem(normalize_word(w)) for w in fold(text).split()]


@lru_cache(maxsize=1)
def _index() -> _Index:
    facts = {i: f for i, f in all_facts().items() if not i.startswith(_EXCLUDED_PREFIXES)}
    words = {i: frozenset(_words(f"{f.text} {i.replace('_', ' ')}")) for i, f in facts.items()}
    df = Counter(w for ws in words.values() for w in ws)
    n = len(words)
    idf = {w: math.log(1 + (n - c + 0.5) / (c + 0.5)) for w, c in df.items()}
    length = {i: len(_words(f.text)) for i, f in facts.items()}
    return _Index(words, idf, {i: f.topic for i, f in facts.items()}, length, sum(length.values()) / max(n, 1))


# Words of a question that say nothing about which fact it wants.
_QUESTION_WORDS = (
    informal.PARTICLES
    | informal.HEDGES
    | informal.NEGATIONS
    | informal.PRONOUNS
    | informal.YES_NO_WORDS
    | informal.PREPOSITIONS
    | informal.REQUEST_WORDS
    | frozenset(
        """
        apa apakah siapa kapan mana dimana kemana gimana gmn bagaimana berapa brp kenapa knp mengapa cara caranya
        yang yg itu ini ada bisa boleh harus hrs juga jg kalau kalo klo terus trus lalu jadi jd sudah udah udh
        belum blm masih msh sih kan dong deh kok lagi aja saja kak min mas mbak bu pak sama dengan dgn atau dan
        semalam besok hari ini mau ingin
        """.split()
    )
)


def _query_words(text: str) -> dict[str, set[str]]:
    """Each content word of a question -> the words it matches (itself and its synonyms)."""
    _, synonyms = _glossary()
    out: dict[str, set[str]] = {}
    for word in fold(text).split():
        if word in _QUESTION_WORDS and word not in synonyms:
            continue
        stem = _stem(normalize_word(word))
        forms = {stem} | {_stem(w) for w in synonyms.get(word, synonyms.get(stem, ()))}
        forms = {w for w in forms if len(w) > 2 and w not in _QUESTION_WORDS}
        if forms:
            out.setdefault(word, set()).update(forms)
    return out


def glossary_facts(text: str) -> tuple[str, ...]:
    """The facts explaining the terms a "what is X" / "X vs Y" question names (longest terms first)."""
    return _term_facts(text) if _WHAT_IS.search(fold(text)) else ()


def _term_facts(text: str) -> tuple[str, ...]:
    """The facts of every glossary term a text names (longest terms first)."""
    terms, _ = _glossary()
    padded = f" {fold(text)} "
    found: list[str] = []
    for term in sorted(terms, key=len, reverse=True):
        if f" {term} " in padded:
            padded = padded.replace(f" {term} ", " ")
            found += [i for i in terms[term] if i not in found]
    return tuple(found)


def ranked_facts(text: str, shown: tuple[str, ...] = (), limit: int = 2) -> list[tuple[str, float]]:
    """The facts that answer a question, best first, with their scores (only clear matches).

    `shown`: the facts of the answer just given. A follow-up to it ("tesnya apa aja?") weighs them and
    their topics more, and a lower score is enough; a question out of the blue needs a clear match of at
    least two words.
    """
    index = _index()
    asked_by_word = _query_words(text)
    asked = set().union(*asked_by_word.values()) if asked_by_word else set()
    topics = {index.topic.get(i) for i in shown} - {None, ""}
    named = set(_term_facts(text))
    scores: dict[str, float] = {}
    matches: dict[str, int] = {}
    for fact_id, words in index.words.items():
        matched = asked & words
        if not matched:
            continue
        norm = 0.75 + 0.25 * index.length[fact_id] / index.average  # BM25 length normalisation (k1 = 1)
        score = sum(index.idf[w] * 2 / (1 + norm) for w in matched)
        if fact_id in named:
            score *= TERM_WEIGHT
        if fact_id in shown:
            score *= SHOWN_WEIGHT
        elif index.topic.get(fact_id) in topics:
            score *= TOPIC_WEIGHT
        scores[fact_id] = score
        matches[fact_id] = sum(1 for forms in asked_by_word.values() if forms & words)  # words of the question
    ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
    floor, words_needed = (MIN_SCORE, 1) if shown else (MIN_SCORE_COLD, 2)
    if not ranked or ranked[0][1] < floor or matches[ranked[0][0]] < words_needed:
        return []
    best = ranked[0][1]
    return [(i, s) for i, s in ranked[:limit] if s >= max(floor, best * 0.6)]


def answer_facts(text: str, shown: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The fact ids that answer a question: glossary terms first, else the ranking; () when unclear."""
    return glossary_facts(text) or tuple(i for i, _ in ranked_facts(text, shown))


# What a search, cost or check question can name; a question naming none of them may be one for our facts.
LOOKUP_ENTITIES = frozenset({"job", "location", "education", "country", "agency", "license_number"})


def fact_answerable(text: str, entity_types: set[str]) -> bool:
    """A question that names nothing to look up and that one of our facts answers ("BLK itu bayar gak?",
    "kontrak kerja harus ada isi apa aja"): the NLU's topic net and the cost and vacancy forms use it."""
    return not entity_types & LOOKUP_ENTITIES and bool(answer_facts(text))
