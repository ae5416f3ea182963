"""Log records never carry a Telegram bot token or a personal number (tracebacks included), and httpx's
per-request lines stay out of the log."""

from __future__ import annotations

import io
import logging

from bot.logging_setup import MaskPersonalNumbers, configure_logging


def test_a_bot_token_in_a_url_is_masked():
    url = "https://api.telegram.org/bot123456:AAH-x_9/sendMessage"
    record = logging.LogRecord("httpx", logging.WARNING, __file__, 1, "POST %s failed", (url,), None)
    MaskPersonalNumbers().filter(record)
    assert record.getMessage() == "POST https://api.telegram.org/bot<token>/sendMessage failed"


def test_httpx_request_lines_are_not_logged_at_info():
    root, httpx_logger = logging.getLogger(), logging.getLogger("httpx")
    saved = (list(root.handlers), root.level, httpx_logger.level)
    try:
        configure_logging()
        assert not httpx_logger.isEnabledFor(logging.INFO)
        assert logging.getLogger("bot.outbox").isEnabledFor(logging.INFO)
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        httpx_logger.setLevel(saved[2])


def test_uvicorns_own_handlers_mask_too():
    root, uvicorn_error = logging.getLogger(), logging.getLogger("uvicorn.error")
    saved = (list(root.handlers), root.level)
    own = logging.StreamHandler()
    uvicorn_error.addHandler(own)
    try:
        configure_logging()
        assert any(isinstance(f, MaskPersonalNumbers) for f in own.filters)
    finally:
        uvicorn_error.removeHandler(own)
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])


def test_a_logged_exception_is_masked_too():
    phone, nik = "0812-3456-7890", "3201014101900001"
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(MaskPersonalNumbers())
    log = logging.getLogger("tests.traceback")
    log.addHandler(handler)
    try:
        try:
            raise ValueError(f"bad input: wa {phone}, nik {nik}")
        except ValueError:
            log.exception("turn failed")
    finally:
        log.removeHandler(handler)
    written = out.getvalue()
    assert "Traceback" in written and "ValueError: bad input: wa [TELP], nik [NIK]" in written
    assert phone not in written and nik not in written and "3456" not in written
