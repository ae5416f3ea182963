"""The prepared validator of action server answers accepts and rejects exactly what Rasa's own check does.

Runs in Rasa's environment (.venv-rasa), like the code it tests; hence the e2e marker (it needs .venv-rasa)."""

from __future__ import annotations

import pytest

from tests.support.rasa_script import run_in_rasa

pytestmark = pytest.mark.e2e

SCRIPT = """
import jsonschema
from rasa.core.actions.action import RemoteAction
original = RemoteAction._validate_action_result
import nlu.stores  # installs the speed-up, as Rasa does when it reads endpoints.yml
assert RemoteAction._validate_action_result is not original
action = RemoteAction("action_x", None)
good = [
    {"events": [{"event": "slot", "name": "job", "value": "las"}], "responses": [{"text": "halo"}]},
    {"events": [], "responses": [{"text": "pilih", "buttons": [{"title": "Ya", "payload": "/affirm"}]}]},
    {},
]
bad = [{"events": "not a list"}, {"events": [{"no_event_key": 1}]}, {"responses": "x"}]
for case in good:
    assert action._validate_action_result(case) is True
    assert original(action, case) is True
for case in bad:
    for check in (action._validate_action_result, lambda c: original(action, c)):
        try:
            check(case)
        except jsonschema.ValidationError as e:
            assert "Failed to validate Action server response" in e.message
        else:
            raise AssertionError(f"accepted {case}")
print("ok")
"""


def test_the_prepared_validator_agrees_with_rasas_check():
    run_in_rasa(SCRIPT)
