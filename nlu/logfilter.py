"""No user text and no personal numbers in the logs of the Rasa server and the action server.

Both load `logging.yml` (`--logging-config-file`, passed by `tanyakerja run`), whose filter factory
`installed()` replaces the process's log-record factory: every record is rewritten when it is created, so
whichever logger, handler or formatter writes it later (Rasa's coloredlogs handler, Sanic's own handlers,
structlog through the standard library) sees only the rewritten text. The rewrite:

- structlog events (Rasa 3.6 renders them as JSON when not on a terminal): the values of keys that carry
  what a user wrote or what the tracker holds (`text`, `user_message`, `rasa_events`, `parse_data_text`...,
  Rasa's own list of anonymizable keys and a few more) become "[disembunyikan]";
- `text: ...` / `'text': '...'` inside event and dict dumps, and "user message '...'": the value is
  replaced the same way;
- then everything, tracebacks included, goes through the application's one masker
  (knowledge.language.privacy.mask_pii): NIK-like, phone-like, passport-like and long numbers;
- the Rasa auth token in a logged URL (`?token=...`) is hidden.

It runs on Rasa's Python 3.10 and imports nothing beyond the standard library and knowledge.language.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
from typing import Any, Callable

from knowledge.language.privacy import mask_pii

HIDDEN = "[disembunyikan]"
# What a user wrote or what a tracker holds: Rasa's `_anonymizer` keys (rasa/utils/log_utils.py) and more.
SENSITIVE_KEYS = frozenset(
    {
        "text", "response_text", "user_text", "slot_values", "parse_data_text", "parse_data_entities",
        "prediction_events", "tracker_latest_message", "prefilled_slots", "message", "response",
        "slot_candidates", "rasa_event", "rasa_events", "tracker_states", "current_states", "old_states",
        "successes", "current_entity", "next_entity", "states", "entity", "token_text", "user_message",
        "json_message", "events", "tracker", "latest_message", "slots", "entities", "value", "metadata",
        "body", "payload", "event_info_text", "utterance", "locals",
    }
)  # fmt: skip
_KEYS = "|".join(sorted(SENSITIVE_KEYS, key=len, reverse=True))
# 'text': '...' / "text": "..." in a dict's repr or JSON inside a longer line
_QUOTED_VALUE = re.compile(
    rf"""(['"](?:{_KEYS})['"]\s*:\s*)(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""",
    re.DOTALL,
)
# text: ... in an event's str() (UserUttered(text: halo, intent: greet, ...)) or text=... (key=value logs)
_BARE_VALUE = re.compile(r"\b(text|user_message|message_text)(: |=)(.*?)(?=, intent: |, [a-z_]+[:=] |\)$|\n|$)")
# "user message 'halo ...'" (free-form lines of older Rasa code and of libraries)
_QUOTED_MESSAGE = re.compile(
    r"""(\buser (?:message|text|utterance)\b[^'"\n]{0,20})(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
)
# confidences (0.9876543210987654): shortened, so the masker does not take their digits for a NIK
_LONG_FRACTION = re.compile(r"(?<![\d.])(\d{1,3}\.\d{4})\d+")
_TOKEN = re.compile(r"([?&](?:token|auth_token)=)[^&\s'\"]+")
_DONE = "_tanyakerja_private"


def _hide(value: Any) -> Any:
    """`value` with every sensitive key's value hidden, however deep (iterative: no recursion limit)."""
    root = [value]
    stack: list[tuple[Any, Any]] = [(root, 0)]
    while stack:
        parent, key = stack.pop()
        item = parent[key]
        if isinstance(item, dict):
            for k in item:
                if isinstance(k, str) and k.lower() in SENSITIVE_KEYS and item[k] not in (None, "", [], {}):
                    item[k] = HIDDEN
                else:
                    stack.append((item, k))
        elif isinstance(item, list):
            stack.extend((item, i) for i in range(len(item)))
    return root[0]


def redact(message: str) -> str:
    """The log line without user text, personal numbers or the auth token."""
    stripped = message.strip()
    if stripped.startswith("{") and stripped.endswith("}"):
        with contextlib.suppress(ValueError, RecursionError):  # not JSON after all: the patterns below
            message = json.dumps(_hide(json.loads(stripped)), ensure_ascii=False)
    message = _QUOTED_VALUE.sub(lambda m: f'{m.group(1)}"{HIDDEN}"', message)
    message = _QUOTED_MESSAGE.sub(lambda m: f'{m.group(1)}"{HIDDEN}"', message)
    message = _BARE_VALUE.sub(lambda m: f"{m.group(1)}{m.group(2)}{HIDDEN}", message)
    message = _TOKEN.sub(r"\1<token>", message)
    message = _LONG_FRACTION.sub(r"\1", message)
    return mask_pii(message)


def rewrite(record: logging.LogRecord) -> logging.LogRecord:
    """Replace the record's message (and its traceback text) by the redacted text, once."""
    if getattr(record, _DONE, False):
        return record
    try:
        text = record.getMessage()
    except (TypeError, ValueError):  # a broken format string: the logging module would only print an error
        text = str(record.msg)
    record.msg, record.args = redact(text), None
    if record.exc_info and not record.exc_text:
        record.exc_text = logging.Formatter().formatException(record.exc_info)
    if record.exc_text:
        record.exc_text = redact(record.exc_text)
    if record.stack_info:
        record.stack_info = redact(record.stack_info)
    setattr(record, _DONE, True)
    return record


class PrivateLogFilter(logging.Filter):
    """Handler filter doing the same rewrite (for handlers created before the record factory was set)."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite in place; never drops a record."""
        rewrite(record)
        return True


def install() -> None:
    """Wrap the process's log-record factory so every record is rewritten at creation (idempotent)."""
    current: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()
    if getattr(current, _DONE, False):
        return

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return rewrite(current(*args, **kwargs))

    setattr(factory, _DONE, True)
    logging.setLogRecordFactory(factory)


def installed() -> PrivateLogFilter:
    """The filter factory `logging.yml` names: installs the record factory and returns a handler filter."""
    install()
    return PrivateLogFilter()
