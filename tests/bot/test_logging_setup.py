"""Log records never carry a Telegram bot token, and httpx's per-request lines stay out of the log."""

from __future__ import annotations

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
