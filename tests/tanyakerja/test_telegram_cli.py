"""`tanyakerja telegram set-webhook URL` / `delete-webhook` against the fake Bot API."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.fake_telegram import TOKEN, FakeTelegram

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def api():
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "DATABASE_URL": "sqlite:///:memory:"}
    return subprocess.run(
        [sys.executable, "-m", "tanyakerja.cli", *args], capture_output=True, text=True, env={**base, **env}, timeout=60
    )


def test_set_webhook_registers_the_url_with_the_secret_and_the_update_types(api):
    done = run(
        "telegram",
        "set-webhook",
        "https://tanyakerja.example.go.id/telegram/webhook",
        TELEGRAM_TOKEN=TOKEN,
        TELEGRAM_WEBHOOK_SECRET="rahasia-webhook_1",
        TELEGRAM_API_URL=api.base,
    )
    assert done.returncode == 0, done.stderr
    [call] = [c for c in api.calls if c.method == "setWebhook"]
    assert call.params["url"] == "https://tanyakerja.example.go.id/telegram/webhook"
    assert call.params["secret_token"] == "rahasia-webhook_1"
    assert call.params["allowed_updates"] == ["message", "edited_message", "callback_query", "my_chat_member"]
    assert "webhook registered" in done.stdout


def test_set_webhook_needs_the_secret_and_reports_a_refusal(api):
    missing = run(
        "telegram", "set-webhook", "https://x.test/telegram/webhook", TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=api.base
    )
    assert missing.returncode == 2 and "TELEGRAM_WEBHOOK_SECRET" in missing.stderr
    refused = run(
        "telegram",
        "set-webhook",
        "https://x.test/telegram/webhook",
        TELEGRAM_TOKEN="1:wrong",
        TELEGRAM_WEBHOOK_SECRET="s",
        TELEGRAM_API_URL=api.base,
    )
    assert refused.returncode == 1 and "refused" in refused.stderr
    assert [c.method for c in api.calls] == ["setWebhook"]  # the refused one; none without a secret


def test_delete_webhook(api):
    done = run("telegram", "delete-webhook", TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=api.base)
    assert done.returncode == 0 and [c.method for c in api.calls] == ["deleteWebhook"]
