"""Channel settings: which mode each channel runs in, and settings that cannot work."""

from __future__ import annotations

from knowledge.settings import Settings


def test_telegram_mode_follows_the_token_and_the_secret():
    assert Settings().telegram_mode is None
    assert Settings(telegram_token="1:a").telegram_mode == "polling"
    assert Settings(telegram_token="1:a", telegram_webhook_secret="s").telegram_mode == "webhook"
    lines = Settings(telegram_token="1:a").channel_modes()
    assert lines[0].startswith("Telegram: polling mode") and lines[1].startswith("WhatsApp: off")


def test_whatsapp_needs_its_secrets_and_both_ids():
    on = {"whatsapp_token": "t", "whatsapp_phone_number_id": "1"}
    assert Settings(**on).whatsapp_on
    assert "WHATSAPP_APP_SECRET" in Settings(**on).channel_problems()[0]
    assert Settings(**on, whatsapp_app_secret="a", whatsapp_verify_token="v").channel_problems() == []
    assert "both" in Settings(whatsapp_token="t").channel_problems()[0]


def test_a_webhook_secret_telegram_would_refuse_is_reported():
    assert Settings(telegram_token="1:a", telegram_webhook_secret="ok_secret-1").channel_problems() == []
    assert Settings(telegram_token="1:a", telegram_webhook_secret="no spaces!").channel_problems()
    assert Settings(telegram_token="no-colon").channel_problems()
    assert Settings(telegram_token="abc:def").channel_problems()
