"""Attacker-controlled values (a typed username, an address) made safe for a log line: one line, bounded."""

from __future__ import annotations

import unicodedata

# Control and format characters (newlines, ANSI escapes, right-to-left overrides), line and paragraph
# separators, and lone surrogates: each could forge or hide a log line.
_UNSAFE = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t", "\\": "\\\\"}


def _escape(ch: str) -> str:
    if ch in _NAMED:
        return _NAMED[ch]
    if unicodedata.category(ch) not in _UNSAFE:
        return ch
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escaped(value: object, limit: int = 80) -> str:
    """The value on one line: control characters backslash-escaped, at most `limit` characters ("…" at a cut)."""
    pieces = [_escape(ch) for ch in str(value)[: limit + 1]]
    if sum(map(len, pieces)) <= limit:
        return "".join(pieces)
    out, size = [], 0
    for piece in pieces:  # cut between escapes, never inside one
        if size + len(piece) > limit - 1:
            break
        out.append(piece)
        size += len(piece)
    return "".join(out) + "…"
