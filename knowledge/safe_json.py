"""Reading JSON that strangers send: a size limit, a nesting limit checked before parsing (so 50,000 levels
never reach the recursive parser or any code that walks the result), and lone UTF-16 surrogates replaced by
U+FFFD (JSON allows the escape "\\ud800"; no database and no UTF-8 encoder accepts the character)."""

from __future__ import annotations

import json
import re
from typing import Any

import anyio.to_thread

from knowledge.storable import map_strings

MAX_DEPTH = 64  # real payloads (Telegram, WhatsApp, ours) nest fewer than 10 levels
INLINE_BYTES = 16 * 1024  # a larger body is parsed in a worker thread, never on the event loop
REPLACEMENT = "\ufffd"

# A string literal, or the rest of the body when it is never closed. Possessive quantifiers and an ending
# that always matches: the pattern never fails once it has seen a quote, so it never backtracks and never
# restarts inside a string (the old `"(?:[^"\\]|\\.)*"` did both: 64 KB of `\"` took 8-17 s).
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+(?:"|\\?\Z)', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPENERS = frozenset(b"[{")
_SURROGATE = re.compile("[\ud800-\udfff]")


class BadJson(ValueError):
    """The body is not JSON we accept; `code` names why (too_large, too_deep, invalid_json)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def nesting_depth(body: bytes, *, stop_above: int | None = None) -> int:
    """The deepest bracket nesting outside string literals (linear, no recursion); with `stop_above`, the
    scan ends as soon as the depth exceeds it."""
    depth = deepest = 0
    for byte in _STRING.sub(b"", _as_utf8(body)).translate(None, _NOT_BRACKET):
        if byte in _OPENERS:
            depth += 1
            if depth > deepest:
                deepest = depth
                if stop_above is not None and deepest > stop_above:
                    break
        else:
            depth -= 1
    return deepest


def _as_utf8(body: bytes) -> bytes:
    """The body in UTF-8. json also reads UTF-16 and UTF-32, where a quote or bracket byte can be half of
    another character: scanning those bytes as they are would let brackets hide from the depth check."""
    encoding = json.detect_encoding(body)
    if encoding in ("utf-8", "utf-8-sig"):
        return body
    try:
        return body.decode(encoding, "surrogatepass").encode("utf-8", "surrogatepass")
    except UnicodeError as exc:
        raise BadJson("invalid_json") from exc


def without_lone_surrogates(text: str) -> str:
    """The text with every unpaired UTF-16 surrogate replaced by U+FFFD (unchanged when there is none)."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def _scrub(value: Any) -> Any:
    """Replace lone surrogates in every string, key or value (the depth is already bounded)."""
    return map_strings(value, without_lone_surrogates)


def loads(body: bytes, *, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """Parse a request body; raises BadJson for a body too large, nested too deep or not UTF-8 JSON."""
    if len(body) > max_bytes:
        raise BadJson("too_large")
    if nesting_depth(body, stop_above=max_depth) > max_depth:
        raise BadJson("too_deep")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        raise BadJson("invalid_json") from exc
    # a lone surrogate comes as a \u escape, or raw (json decodes bytes with "surrogatepass": ED A0..BF ..)
    return _scrub(data) if b"\\u" in body or b"\xed" in body else data


async def loads_off_loop(body: bytes, *, max_bytes: int, max_depth: int = MAX_DEPTH) -> Any:
    """`loads` for a request handler: a small body inline, a larger one in a worker thread, so parsing a
    body of up to `max_bytes` never holds the event loop for long."""
    if len(body) > max_bytes:
        raise BadJson("too_large")
    if len(body) <= INLINE_BYTES:
        return loads(body, max_bytes=max_bytes, max_depth=max_depth)
    return await anyio.to_thread.run_sync(lambda: loads(body, max_bytes=max_bytes, max_depth=max_depth))
