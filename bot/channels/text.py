"""Cutting long replies into messages a platform accepts: at paragraph boundaries, then lines, then words."""

from __future__ import annotations

SEPARATORS = ("\n\n", "\n", " ")


def utf16_len(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: most emoji count twice)."""
    return len(text.encode("utf-16-le")) // 2


def clip(text: str, limit: int) -> str:
    """The text, shortened with '…' when it has more than `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def split_text(text: str, limit: int) -> list[str]:
    """Pieces of at most `limit` UTF-16 units, cut at blank lines where possible ([] for empty text)."""
    text = text.strip()
    if not text:
        return []
    return [c for c in _pack(text, limit, SEPARATORS) if c]


def _pack(text: str, limit: int, separators: tuple[str, ...]) -> list[str]:
    if utf16_len(text) <= limit:
        return [text.strip()]
    if not separators:
        return _hard_cut(text, limit)
    sep, finer = separators[0], separators[1:]
    chunks: list[str] = []
    current = ""
    for part in text.split(sep):
        if utf16_len(part) > limit:  # one paragraph alone is too long: cut it finer, on its own
            if current.strip():
                chunks.append(current.strip())
            current = ""
            chunks.extend(_pack(part, limit, finer))
            continue
        candidate = f"{current}{sep}{part}" if current else part
        if current and utf16_len(candidate.strip()) > limit:
            chunks.append(current.strip())
            current = part
        else:
            current = candidate
    if current.strip():
        chunks.append(current.strip())
    return chunks


def _hard_cut(text: str, limit: int) -> list[str]:
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for ch in text:
        width = utf16_len(ch)
        if size + width > limit:
            chunks.append("".join(current))
            current, size = [], 0
        current.append(ch)
        size += width
    if current:
        chunks.append("".join(current))
    return chunks
