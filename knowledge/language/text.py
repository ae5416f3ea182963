"""The one text-folding function every matcher uses (names, places, jobs, red flags)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A word: letters and digits (underscores and punctuation separate words).
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Matching form of a text: lower case, accents and punctuation removed, '&' read as 'dan', single spaces."""
    text = unicodedata.normalize("NFKD", text.replace("&", " dan "))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(TOKEN.findall(text))


def cased_words(text: str) -> list[str]:
    """The words of a text as written (case kept), one for each word of fold(text)."""
    text = unicodedata.normalize("NFKD", text.replace("&", " dan "))
    return TOKEN.findall("".join(ch for ch in text if not unicodedata.combining(ch)))


def words(text: str) -> list[str]:
    """The folded words of a text."""
    return fold(text).split()
