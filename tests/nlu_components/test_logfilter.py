"""The log filter of the Rasa process and the action server (nlu/logfilter.py, logging.yml): no user text and
no personal numbers in any record, whichever logger or handler writes it -- checked here on the lines Rasa
3.6 really writes, and once inside Rasa's own environment (Python 3.10, without phonenumbers)."""

from __future__ import annotations

import io
import json
import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.language import privacy
from nlu import logfilter

ROOT = Path(__file__).resolve().parents[2]
SECRET_TEXT = "rahasia-unik-zebra"
PHONE, NIK = "081234567890", "3201234567890123"
SECRETS = (SECRET_TEXT, PHONE, NIK, "0812-3456-7890", "SECRETTOKEN")


def assert_clean(output: str) -> None:
    leaked = [s for s in SECRETS if s in output]
    assert not leaked, f"{leaked} leaked into:\n{output}"


@pytest.mark.parametrize(
    "line",
    [
        # rasa/core/channels/rest.py on a timeout (structlog rendered as JSON)
        json.dumps({"text": f"{SECRET_TEXT} {PHONE} {NIK}", "event": "rest.message.received.timeout"}),
        json.dumps({"event": "processor.actions.log", "rasa_events": [{"event": "user", "text": SECRET_TEXT}]}),
        json.dumps({"event": "processor.message.parse", "parse_data_text": SECRET_TEXT, "x": {"locals": {"t": 1}}}),
        f"UserUttered(text: {SECRET_TEXT} {PHONE}, intent: greet, use_text_for_featurization: False)",
        f"body {{'sender': 'u1', 'message': '{SECRET_TEXT}'}} and {{\"text\": \"{SECRET_TEXT}\"}}",
        "POST /webhooks/rest/webhook?token=SECRETTOKEN 200",
        f"conversation ID '{PHONE}' nik {NIK[:4]} {NIK[4:8]} {NIK[8:12]} {NIK[12:]}",
    ],
)
def test_user_text_numbers_and_the_token_are_hidden(line):
    out = logfilter.redact(line)
    assert_clean(out)


def test_confidences_are_shortened_not_masked():
    line = '{"parse_data_intent": {"name": "greet", "confidence": 0.9876543210987654}}'
    assert logfilter.redact(line) == '{"parse_data_intent": {"name": "greet", "confidence": 0.9876}}'


def test_what_is_not_personal_stays_readable():
    line = (
        "Predicted next action 'action_check_agency' with confidence 0.93; hotline 0800-1000, KEP.771/PPTKIS/III/2020"
    )
    assert logfilter.redact(line) == line


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    """A logger writing to a buffer through a handler without any filter, with the record factory installed."""
    saved = logging.getLogRecordFactory()
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logging.Formatter("%(levelname)s %(message)s"))
    logger = logging.getLogger("uji.logfilter")
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    logfilter.install()
    logfilter.install()  # idempotent
    try:
        yield buffer
    finally:
        logging.setLogRecordFactory(saved)
        logger.removeHandler(handler)


def test_every_record_is_rewritten_at_creation_tracebacks_included(captured):
    log = logging.getLogger("uji.logfilter")
    log.debug("Received user message %r", f"{SECRET_TEXT} {PHONE}")
    try:
        raise RuntimeError(f"could not parse {PHONE} / {NIK}")
    except RuntimeError:
        log.exception("Encountered an exception while running action 'action_x'")
    log.error("%s", {"text": SECRET_TEXT, "intent": "greet"})
    output = captured.getvalue()
    assert "Encountered an exception" in output and "RuntimeError" in output and "Traceback" in output
    assert_clean(output)


def test_the_masker_finds_phones_by_shape_where_phonenumbers_is_missing(monkeypatch):
    monkeypatch.setattr(privacy, "_libraries", lambda: None)
    masked = privacy.mask_pii(f"hp {PHONE}, 0812 3456 7890, +62 812-3456-7890, nik {NIK}; hotline 0800-1000")
    assert masked == "hp [TELP], [TELP], [TELP], nik [NIK]; hotline 0800-1000"


RASA_PYTHON = ROOT / ".venv-rasa" / "bin" / "python"
PROBE = f"""
import logging, sys
import rasa.utils.io, structlog
from rasa.utils.common import configure_logging_and_warnings
from rasa.utils.log_utils import configure_structlog
# the order of rasa/__main__.py: the logging config file, coloredlogs, then structlog
configure_logging_and_warnings(None, sys.argv[1], warn_only_once=True, filter_repeated_logs=True)
rasa.utils.io.configure_colored_logging(None)
configure_structlog(None)
secret = "{SECRET_TEXT} {PHONE} {NIK}"
structlog.get_logger().error("rest.message.received.timeout", text=secret)
try:
    raise ValueError("gagal " + "{PHONE}")
except ValueError:
    structlog.get_logger().exception("rest.message.received.failure", text=secret)
    logging.getLogger("rasa.core.processor").exception("Encountered an exception while running action 'x'.")
structlog.get_logger().debug("processor.message.parse", parse_data_text=secret, parse_data_entities=[secret])
logging.getLogger("sanic.access").info("POST /webhooks/rest/webhook?token=SECRETTOKEN")
import phonenumbers  # must fail here: the filter has to work without it
"""


@pytest.mark.skipif(not RASA_PYTHON.exists(), reason="needs .venv-rasa (make setup)")
def test_inside_rasas_own_environment():
    done = subprocess.run(
        [str(RASA_PYTHON), "-c", PROBE, str(ROOT / "logging.yml")],
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "LOG_LEVEL": "DEBUG", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = done.stdout + done.stderr
    assert "No module named 'phonenumbers'" in output, output  # Rasa's environment, really
    assert "rest.message.received.timeout" in output and "processor.message.parse" in output
    assert "Encountered an exception" in output and "[disembunyikan]" in output
    assert_clean(output)
