"""Reading JSON that strangers send: a size limit, a nesting limit checked before parsing (so 50,000 levels
never reach the recursive parser or any code that walks the result), and lone UTF-16 surrogates replaced by
U+FFFD (JSON allows the escape "\\ud800"; no database and no UTF-8 encoder accepts the character)."""

from __future__ import annotations

import json
import re
from typing import Any

MAX_DEPTH = 64  # real payloads (Telegram, WhatsApp, ours) nest fewer than 10 levels
REPLACEMENT = "\ufffd"

_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadJson(ValueError):
    """The body is not JSON we accept; `code` names why (too_large, too_deep, invalid_json)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def nesting_depth(body: bytes) -> int:
    """The deepest bracket nesting outside string literals (a linear scan, no recursion)."""
    depth = deepest = 0
    for bracket in _BRACKET.findall(_STRING.sub(b"", body)):
        depth += 1 if bracket in (b"[", b"{") else -1
        deepest = max(deepest, depth)
    return deepest


def without_lone_surrogates(text: str) -> str:
    """The text with every unpaired UTF-16 surrogate replaced by U+FFFD (unchanged when there is none)."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def _scrub(value: Any) -> Any:
    """Replace lone surrogates in every string, key or value; iterative, the depth is already bounded."""
    if isinstance(value, str):
        return without_lone_surrogates(value)
    if not isinstance(value, (dict, list)):
        return value
    root: list[Any] = [value]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        item = parent[key]
        if isinstance(item, str):
            parent[key] = without_lone_surrogates(item)
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
        elif isinstance(item, dict):
            if any(isinstance(k, str) and _SURROGATE.search(k) for k in item):
                item = {without_lone_surrogates(k): v for k, v in item.items()}
                parent[key] = item
            stack.extend((item, k) for k in item)
    return root[0]


def loads(body: bytes, *, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a request body; raises BadJson for a body too large, nested too deep or not UTF-8 JSON."""
    if len(body) > max_bytes:
        raise BadJson("too_large")
    if nesting_depth(body) > max_depth:
        raise BadJson("too_deep")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadJson("invalid_json") from exc
    # a lone surrogate comes as a \u escape, or raw (json decodes bytes with "surrogatepass": ED A0..BF ..)
    return _scrub(data) if b"\\u" in body or b"\xed" in body else data
