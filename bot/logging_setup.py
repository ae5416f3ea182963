"""Process-wide logging: INFO, one line per record, NIK- and phone-like numbers masked (in tracebacks too)."""

from __future__ import annotations

import logging
import re

from bot.sanitize import mask_pii

# A Telegram bot token inside a URL (https://api.telegram.org/bot123456:ABC.../sendMessage).
_BOT_TOKEN = re.compile(r"bot\d+:[A-Za-z0-9_-]+")


def _private(text: str) -> str:
    return mask_pii(_BOT_TOKEN.sub("bot<token>", text))


class MaskPersonalNumbers(logging.Filter):
    """Masks NIK-like and phone-like numbers (and Telegram bot tokens) in every record before it is written:
    its message, its traceback (an exception's message often quotes the input) and its stack."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite the record in place; never drops a record."""
        record.msg = _private(record.getMessage())
        record.args = ()
        if record.exc_info and not record.exc_text:
            # what the formatter would write, made now so the masked text is what every handler reuses
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = _private(record.exc_text)
        if record.stack_info:
            record.stack_info = _private(record.stack_info)
        return True


def configure_logging(level: int = logging.INFO) -> None:
    """Root logger to stderr with the masking filter on its handler (idempotent)."""
    root = logging.getLogger()
    if any(isinstance(f, MaskPersonalNumbers) for h in root.handlers for f in h.filters):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(MaskPersonalNumbers())
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn's loggers write through their own handlers, not the root's
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        for own in logging.getLogger(name).handlers:
            if not any(isinstance(f, MaskPersonalNumbers) for f in own.filters):
                own.addFilter(MaskPersonalNumbers())
    # httpx logs every request URL at INFO: noise, and the Bot API's URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
