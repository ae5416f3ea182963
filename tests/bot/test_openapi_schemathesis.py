"""Schemathesis against the gateway's own OpenAPI schema (in-process, Rasa faked): for every operation it
generates valid and invalid requests and checks there is no server error and that every documented answer
matches its schema (status codes, content type, body)."""

from __future__ import annotations

import base64

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import checks

from bot.asgi import create_app
from helpdesk.accounts import add_staff
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.settings import Settings
from tests.factories import copied_database
from tests.support.fake_rasa import FakeRasa

# a staff client: HTTP Basic, and JSON declared (a POST without it is a 415 before anything else is tried)
ANI = {
    "Authorization": "Basic " + base64.b64encode(b"ani:sandi-ani-12345").decode(),
    "Content-Type": "application/json",
}
# The HTML pages, the webhooks of channels that are off here (404) and the health check (503 without the
# action server's health) are covered by their own tests.
SKIPPED = ("/helpdesk", "/telegram", "/whatsapp", "/healthz")


@pytest.fixture(scope="module")
def gateway_schema(tmp_path_factory, migrated_template):
    path, engine, factory = copied_database(tmp_path_factory.mktemp("schemathesis"), migrated_template)
    with session_scope(factory) as s:
        add_staff(s, "ani", "sandi-ani-12345")
        for n in range(3):
            create_escalation(s, channel="web", user_id=f"st{n}", reason="emergency", details={})
    app = create_app(
        Settings(
            rasa_url="http://rasa.test",
            actions_url="http://actions.test",
            rate_limit_per_minute=100_000,
            web_new_chats_burst=0,  # every generated user id comes from the one test client
        ),
        factory=factory,
        transport=httpx.MockTransport(FakeRasa()),
        spool_dir=path.parent / "spool",
    )
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    yield schema.exclude(path_regex="^(" + "|".join(SKIPPED) + ")")
    engine.dispose()


# schemathesis.pytest.from_fixture does not work with this pytest version ('Function' has no '_nodeid'), so
# each operation's strategy is driven by Hypothesis here.
MODES = (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE)
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.mark.parametrize("mode", MODES, ids=lambda m: m.value)
def test_the_gateway_conforms_to_its_schema(gateway_schema, mode):
    operations = [result.ok() for result in gateway_schema.get_all_operations()]
    assert {op.label for op in operations} >= {"POST /api/chat", "POST /api/escalations/{escalation_id}/reply"}
    tested = []
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(headers=ANI, checks=CHECKS)

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (a free-form string parameter): positive mode covers it
            assert mode is schemathesis.GenerationMode.NEGATIVE
            continue
        tested.append(operation.label)
    assert "POST /api/chat" in tested, tested
