"""Facts the message makes personal: an age, a destination and a job stated in the question are checked
against the rules first, with a plain one-line answer before any long list (the numbers come from facts)."""

from __future__ import annotations

import re

from knowledge.answers import load_copy
from knowledge.facts import bullets
from knowledge.language.text import fold

FEATURE = "guidance"
KOREA = "Korea Selatan"
# The rules these lines rest on (knowledge/content): minimum age 18; Korea EPS age band 18-39.
MIN_AGE = 18
EPS_AGE = (18, 39)
_AGE = [
    re.compile(
        r"\b(?:umur|usia|umurku|usiaku|umurnya|usianya)\s*(?:saya|sy|aku|ku)?\s*"
        r"(?:skrg|sekarang|baru|udah|sudah|sdh|udh)?\s*(\d{1,2})\b"
    ),
    re.compile(
        r"\b(\d{1,2})\s*(?:th|thn|tahun|taun|yo|y o|years? old)\b(?!\s*(?:lalu|yang lalu|kerja|pengalaman|di|ke))"
    ),
    re.compile(r"\b(?:i am|i m|im|aged?)\s*(\d{1,2})\b"),
]


# "pengalaman 12 tahun", "kontrak 2 tahun": durations, not ages.
_DURATION_WORDS = frozenset("pengalaman selama kerja bekerja sejak lebih kurang kontrak masa sdh sudah udah".split())


def stated_age(text: str) -> int | None:
    """The age the user states about themselves or the person they ask for ("umur 41", "anak saya 17 th")."""
    folded = fold(text)
    for n, pattern in enumerate(_AGE):
        for m in pattern.finditer(folded):
            before = folded[: m.start()].split()[-2:]
            if n == 1 and _DURATION_WORDS & set(before):
                continue
            age = int(m.group(1))
            if 10 <= age <= 80:
                return age
    return None


def eligibility_lines(text: str, country: str | None) -> list[str]:
    """Plain answers to put first: too young for any placement, outside the Korea EPS age band."""
    age = stated_age(text)
    if age is None:
        return []
    copy = load_copy(FEATURE)
    lines = []
    if age < MIN_AGE:
        lines.append("\n".join([copy["too_young"].format(age=age), bullets(["min_age"])]))
    elif country == KOREA and not EPS_AGE[0] <= age <= EPS_AGE[1]:
        lines.append("\n".join([copy["eps_age"].format(age=age), bullets(["eps_requirements"])]))
    return lines
