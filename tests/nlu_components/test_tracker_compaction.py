"""The tracker store's compaction (nlu/stores.py) keeps the dialogue state and makes a long conversation's
turn load a short session, on Rasa's real SQL tracker store.

Runs in Rasa's environment (.venv-rasa), like the code it tests; hence the e2e marker (it needs .venv-rasa)."""

from __future__ import annotations

import pytest

from tests.support.rasa_script import run_in_rasa

pytestmark = pytest.mark.e2e

SCRIPT = """
import asyncio, os
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted, ActiveLoop, BotUttered, SessionStarted, SlotSet, UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from nlu.stores import EnvTrackerStore

domain = Domain.load("domain.yml")
store = EnvTrackerStore(domain=domain)
assert store.compact_after == 12


def turn(tracker, text, intent, *extra):
    tracker.update(UserUttered(text, {"name": intent, "confidence": 0.9}))
    for event in extra:
        tracker.update(event)
    tracker.update(BotUttered(f"answer to {text}"))
    tracker.update(ActionExecuted("action_listen"))


async def main():
    tracker = await store.get_or_create_tracker("web:long")
    tracker.update(ActionExecuted("action_session_start"))
    tracker.update(SessionStarted())
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    # a form open at the end of a long turn: no compaction (the form's state is not carried over)
    turn(tracker, "loker las", "search_vacancy", ActionExecuted("vacancy_search_form"),
         ActiveLoop("vacancy_search_form"), SlotSet("job", "las"), SlotSet("requested_slot", "location"))
    turn(tracker, "batam", "inform", ActionExecuted("vacancy_search_form"), SlotSet("location", "batam"),
         SlotSet("requested_slot", None), ActiveLoop(None), ActionExecuted("action_search_vacancies"),
         SlotSet("vacancy_page", 0.0))
    await store.save(tracker)
    stored = await store.retrieve("web:long")
    assert len(stored.events) == len(tracker.events) > 12, len(stored.events)  # long, but a form was open
    # ... until the next turn at rest: then a new session with the slots and the last two user turns
    turn(tracker, "lihat lagi", "show_more", ActionExecuted("action_show_more"), SlotSet("vacancy_page", 1.0))
    before = {name: slot.value for name, slot in tracker.slots.items()}
    await store.save(tracker)
    stored = await store.retrieve("web:long")
    kinds = [type(e).__name__ for e in stored.events]
    assert kinds[:2] == ["ActionExecuted", "SessionStarted"], kinds
    assert [e.text for e in stored.events if isinstance(e, UserUttered)] == ["batam", "lihat lagi"]
    assert {name: slot.value for name, slot in stored.slots.items()} == before
    assert stored.slots["job"].value == "las" and stored.slots["vacancy_page"].value == 1.0
    assert stored.latest_message.text == "lihat lagi" and stored.latest_action_name == "action_listen"
    assert stored.active_loop_name is None
    assert [type(e) for e in tracker.events] == [type(e) for e in stored.events]  # the object moved along
    # the same tracker object saved again stores only its new events (here the session is long again, so
    # it is compacted again: the last two user turns)
    turn(tracker, "makasih", "thank")
    await store.save(tracker)
    stored = await store.retrieve("web:long")
    got = [e.text for e in stored.events if isinstance(e, UserUttered)]
    assert got == ["lihat lagi", "makasih"], (got, [type(e).__name__ for e in stored.events])
    assert stored.slots["job"].value == "las"
    # nothing is lost: the full history still holds every message once, in order
    full = await store.retrieve_full_tracker("web:long")
    texts = [e.text for e in full.events if isinstance(e, UserUttered) and "compaction_copy" not in e.metadata]
    assert texts == ["loker las", "batam", "lihat lagi", "makasih"], texts
    # a long conversation: what a turn loads stays bounded
    fresh = await store.get_or_create_tracker("web:longer")
    for i in range(60):
        turn(fresh, f"pesan {i}", "greet", SlotSet("unclear_turns", float(i)))
        await store.save(fresh)
        fresh = await store.retrieve("web:longer")
        assert len(fresh.events) <= 12 + 8, (i, len(fresh.events))
        assert fresh.slots["unclear_turns"].value == float(i) and fresh.latest_message.text == f"pesan {i}"
    print("ok")

asyncio.run(main())
"""


def test_compaction_keeps_the_state_and_bounds_what_a_turn_loads(tmp_path):
    run_in_rasa(SCRIPT, RASA_TRACKER_DB=str(tmp_path / "tracker.db"), TRACKER_COMPACT_EVENTS="12")
