"""Button payloads: Rasa intent commands small enough for every channel."""

from __future__ import annotations

import json

MAX_PAYLOAD_BYTES = 64  # Telegram's callback_data limit


def payload(intent: str, **entities: str) -> str:
    """'/intent{"job":"las"}', or just '/intent' when the entities would pass the 64-byte limit."""
    if not entities:
        return f"/{intent}"
    full = f"/{intent}" + json.dumps(entities, ensure_ascii=False, separators=(",", ":"))
    return full if len(full.encode()) <= MAX_PAYLOAD_BYTES else f"/{intent}"
