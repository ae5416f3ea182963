"""The JSON nesting pre-check is linear on every shape a stranger can send (issue 21, High 1): the old
string regex backtracked quadratically on an unterminated run of escaped quotes (64 KB took 8-17 s)."""

from __future__ import annotations

import json
import time

import pytest

from knowledge import safe_json

KB64 = 64 * 1024
MB = 1024 * 1024

SHAPES = {
    "escaped quotes, never closed": lambda n: b'{"user_id": "u", "text": "' + b'\\"' * (n // 2),
    "escaped quotes, closed": lambda n: b'{"text": "' + b'\\"' * (n // 2) + b'"}',
    "even run of backslashes": lambda n: b'"' + b"\\" * n,
    "odd run of backslashes": lambda n: b'"' + b"\\" * (n + 1),
    "backslash-quote-backslash": lambda n: b'["' + b'\\\\\\"' * (n // 4),
    "opening brackets": lambda n: b"[" * n,
    "bracket pairs": lambda n: b"[]" * (n // 2),
    "many tiny strings": lambda n: b"[" + b'"a",' * (n // 4) + b'"a"]',
    "bare quotes": lambda n: b'"' * n,
    "brackets inside a string": lambda n: b'{"t": "' + b"[{" * (n // 2) + b'"}',
}


def timed_check(body: bytes, max_bytes: int) -> tuple[float, str]:
    """Seconds `safe_json.loads` took, and how it ended (ok or the BadJson code)."""
    started = time.perf_counter()
    try:
        safe_json.loads(body, max_bytes=max_bytes)
        outcome = "ok"
    except safe_json.BadJson as exc:
        outcome = exc.code
    return time.perf_counter() - started, outcome


@pytest.mark.parametrize("shape", SHAPES)
def test_a_pathological_64_kb_body_is_judged_in_well_under_100_ms(shape):
    body = SHAPES[shape](KB64 - 64)
    seconds, _ = min(timed_check(body, KB64) for _ in range(3))
    assert seconds < 0.1, f"{shape}: {seconds * 1000:.0f} ms"


@pytest.mark.parametrize("shape", ["escaped quotes, never closed", "odd run of backslashes", "many tiny strings"])
def test_a_1_mb_body_is_still_linear(shape):
    small = min(timed_check(SHAPES[shape](KB64), MB)[0] for _ in range(3))
    large = min(timed_check(SHAPES[shape](MB), 2 * MB)[0] for _ in range(3))
    # 16 times the bytes: linear is ~16x; quadratic would be ~256x. Generous for a busy machine.
    assert large < max(small * 60, 0.05), f"{shape}: 64 KB {small * 1000:.1f} ms, 1 MB {large * 1000:.1f} ms"
    assert large < 1.0


def test_the_answers_are_the_same_as_before():
    assert safe_json.loads(b'{"text": "' + b'\\"' * 100 + b'"}', max_bytes=KB64) == {"text": '"' * 100}
    assert safe_json.loads(b'["a\\\\", [1, "]]]\\\\\\""]]', max_bytes=KB64) == ["a\\", [1, ']]]\\"']]
    assert timed_check(SHAPES["escaped quotes, never closed"](KB64 - 64), KB64)[1] == "invalid_json"
    assert timed_check(SHAPES["opening brackets"](KB64 - 64), KB64)[1] == "too_deep"
    assert timed_check(b"[" * 64 + b"]" * 64, KB64)[1] == "ok"
    assert timed_check(b"[" * 65 + b"]" * 65, KB64)[1] == "too_deep"
    assert timed_check(b'{"t": "' + b"[" * 500 + b'"}', KB64)[1] == "ok"
    assert timed_check(b"x" * (KB64 + 1), KB64)[1] == "too_large"
    assert safe_json.nesting_depth(b'[{"a": "\\\\"}, [[]]]') == 3
    assert safe_json.nesting_depth(b'"\\') == 0


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_brackets_cannot_hide_from_the_depth_check_in_utf_16_or_32(encoding):
    """json reads UTF-16/32 too; there a quote byte can be half of another character (U+2200 in UTF-16-LE
    is 00 22), which would make a byte scanner think 65 real brackets sit inside a string."""
    body = ('["\u2200\u2222", ' + "[" * 65 + "]" * 65 + "]").encode(encoding)
    assert json.loads(body)  # valid JSON that json itself accepts
    assert timed_check(body, KB64)[1] == "too_deep"
    assert safe_json.loads('["\u2200", [1]]'.encode(encoding), max_bytes=KB64) == ["\u2200", [1]]
