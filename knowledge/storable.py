"""Text every database we support can store. PostgreSQL refuses U+0000 in text (and in JSON), and no UTF-8
encoder accepts a lone UTF-16 surrogate; both reach us from strangers (a JSON "\\u0000" escape, a Telegram
name, a WhatsApp profile, a form field). They are replaced before anything is stored, on every path, so one
such character can never make a write fail again and again."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

REPLACEMENT = "\ufffd"
# NUL, and lone surrogates (a valid pair never reaches a Python str as two code points from UTF-8).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable_text(text: str) -> str:
    """The text with NUL removed and lone surrogates replaced by U+FFFD (unchanged when there is none)."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group(0) == "\x00" else REPLACEMENT, text)


def storable_name(text: str) -> str:
    """A name someone typed to identify themselves (a login), storable and looked up as it is: NUL and lone
    surrogates become U+FFFD, so "ani\\x00" can be counted and logged but never matches the account "ani"."""
    return _UNSTORABLE.sub(REPLACEMENT, text) if _UNSTORABLE.search(text) else text


def storable(value: Any) -> Any:
    """A JSON-like value (str, list, dict, numbers) with every string and key made storable; iterative."""
    return map_strings(value, storable_text)


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """A JSON-like value with `fn` applied to every string, key or value (lists and tuples come back as
    lists); iterative, so a deeply nested value cannot exhaust the stack."""
    if isinstance(value, str):
        return fn(value)
    if not isinstance(value, (dict, list, tuple)):
        return value
    root: list[Any] = [value]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        item = parent[key]
        if isinstance(item, str):
            parent[key] = fn(item)
        elif isinstance(item, (list, tuple)):
            item = list(item)
            parent[key] = item
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            item = {fn(k) if isinstance(k, str) else k: v for k, v in item.items()}
            parent[key] = item
            stack.extend((item, k) for k in item)
    return root[0]
