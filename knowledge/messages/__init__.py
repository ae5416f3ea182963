"""Copy (wording, no facts) for what the bot says, one YAML file per feature."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

MESSAGES_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def load_messages(name: str) -> dict[str, Any]:
    """The parsed `knowledge/messages/<name>.yml`."""
    return yaml.safe_load((MESSAGES_DIR / f"{name}.yml").read_text(encoding="utf-8"))
