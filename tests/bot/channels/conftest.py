"""The gateway with real channel adapters against the fake Bot API / Graph API servers (real local HTTP) and
Rasa faked in-process; one fresh SQLite database per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from bot.asgi import create_app
from knowledge.settings import Settings
from tests.support import fake_telegram, fake_whatsapp
from tests.support.fake_rasa import FakeRasa
from tests.support.fake_telegram import FakeTelegram
from tests.support.fake_whatsapp import FakeWhatsApp

SECRET = "uji-rahasia-webhook"


@pytest.fixture
def rasa() -> FakeRasa:
    return FakeRasa(token="tok")  # the settings' rasa_token: every turn must carry it


@pytest.fixture
def telegram_api() -> Iterator[FakeTelegram]:
    api = FakeTelegram().start()
    yield api
    api.stop()


@pytest.fixture
def whatsapp_api() -> Iterator[FakeWhatsApp]:
    api = FakeWhatsApp().start()
    yield api
    api.stop()


@pytest.fixture
def settings_for(telegram_api, whatsapp_api) -> Callable[..., Settings]:
    def make(*, polling: bool = False, **overrides: object) -> Settings:
        values: dict = {
            "rasa_url": "http://rasa.test",
            "actions_url": "http://actions.test",
            "rasa_token": "tok",
            "telegram_token": fake_telegram.TOKEN,
            "telegram_webhook_secret": None if polling else SECRET,
            "telegram_api_url": telegram_api.base,
            "whatsapp_token": fake_whatsapp.TOKEN,
            "whatsapp_phone_number_id": fake_whatsapp.PHONE_NUMBER_ID,
            "whatsapp_app_secret": fake_whatsapp.APP_SECRET,
            "whatsapp_verify_token": fake_whatsapp.VERIFY_TOKEN,
            "whatsapp_api_url": whatsapp_api.api_url,
        }
        values.update(overrides)
        return Settings(**values)

    return make


@pytest.fixture
def gateway_for(db, rasa, tmp_path, settings_for) -> Callable[..., TestClient]:
    """gateway_for(**settings) -> an unstarted TestClient (use it as a context manager: that runs the workers)."""

    def make(**overrides: object) -> TestClient:
        app = create_app(
            settings_for(**overrides), factory=db, transport=httpx.MockTransport(rasa), spool_dir=tmp_path / "spool"
        )
        return TestClient(app)

    return make


@pytest.fixture
def gateway(gateway_for) -> Iterator[TestClient]:
    with gateway_for() as client:
        yield client
