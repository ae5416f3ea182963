"""Two-stage NLU fallback and reading corrected entities, with trackers built in code."""

from __future__ import annotations

from actions.fallback import ActionNluFallback, unclear_turns_in_a_row
from tests.factories import run_action, tracker


def user_event(intent: str) -> dict:
    return {"event": "user", "text": "x", "parse_data": {"intent": {"name": intent}}}


def unclear(text: str, ranking: list[tuple[str, float]], entities: list[dict] | None = None) -> dict:
    return {
        "text": text,
        "intent": {"name": "nlu_fallback", "confidence": 0.4},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 0.4}]
        + [{"name": n, "confidence": c} for n, c in ranking],
        "entities": entities or [],
    }


async def run(parse: dict, events: list[dict]) -> list[dict]:
    trk = tracker(
        parse["text"],
        intent=parse["intent"]["name"],
        confidence=parse["intent"]["confidence"],
        entities=parse.get("entities", []),
        events=events,
        ranking=parse.get("intent_ranking", []),
    )
    ran = await run_action(ActionNluFallback(), trk)
    unsure = parse["intent"]["name"] == "nlu_fallback"
    # as the core fallback (a confident intent nothing follows) the message is taken back
    counted = [e for e in ran.events if e.get("name") == "unclear_turns"]
    assert counted and counted[-1]["value"] >= 1  # the run of unclear messages is counted
    assert [e for e in ran.events if e not in counted] == ([] if unsure else [{"event": "rewind", "timestamp": None}])
    return ran.messages


def answered(intent: str, action: str) -> list[dict]:
    return [
        user_event(intent),
        {"event": "action", "name": action},
        {"event": "bot"},
        {"event": "action", "name": "action_listen"},
    ]


def test_counts_only_the_fallback_answers_at_the_end():
    events = (
        answered("nlu_fallback", "action_nlu_fallback")
        + answered("greet", "utter_greet")
        + answered("inform", "action_nlu_fallback")
        + [user_event("nlu_fallback")]
    )
    assert unclear_turns_in_a_row(events) == 2
    assert unclear_turns_in_a_row([user_event("nlu_fallback")]) == 1
    assert unclear_turns_in_a_row(answered("greet", "utter_greet") + [user_event("inform")]) == 1


async def test_first_unclear_message_suggests_readable_choices_with_the_entities_found():
    parse = unclear(
        "sinar jaya itu gmn",
        [("check_agency", 0.35), ("greet", 0.2), ("check_offer", 0.15)],
        [{"entity": "agency", "value": "sinar jaya"}],
    )
    messages = await run(parse, answered("greet", "utter_greet") + [user_event("nlu_fallback")])
    buttons = messages[0]["buttons"]
    assert [b["title"] for b in buttons] == [
        "Maksud Anda: cek PT/agen resmi?",
        "Maksud Anda: cek tawaran kerja yang mencurigakan?",
    ]
    assert buttons[0]["payload"] == '/check_agency{"agency":"sinar jaya"}'
    assert "kata lain" in messages[0]["text"]


async def test_first_unclear_message_without_a_useful_guess_asks_to_rephrase():
    messages = await run(unclear("asdfgh", [("greet", 0.3), ("deny", 0.2)]), [user_event("nlu_fallback")])
    assert not messages[0].get("buttons") and "kata lain" in messages[0]["text"]


async def test_a_confident_message_the_dialogue_cannot_follow_gets_no_guesses():
    parse = {
        "text": "zxqv",
        "intent": {"name": "inform", "confidence": 0.9},
        "intent_ranking": [{"name": "inform", "confidence": 0.9}, {"name": "check_agency", "confidence": 0.1}],
    }
    messages = await run(parse, [user_event("inform")])
    assert not messages[0].get("buttons") and "kata lain" in messages[0]["text"]


async def test_second_unclear_message_in_a_row_offers_a_petugas():
    events = answered("nlu_fallback", "action_nlu_fallback") + [user_event("nlu_fallback")]
    messages = await run(unclear("qwerty", [("check_agency", 0.3)]), events)
    assert "petugas" in messages[0]["text"]
    assert {"title": "Bicara dengan petugas", "payload": "/request_human"} in messages[0]["buttons"]


async def test_an_unclear_message_handed_over_by_another_action_still_counts():
    from actions.fallback import ActionNluFallback as Fallback

    trk = tracker("wkwkwk qqqq", intent="inform", slots={"unclear_turns": 1.0}, events=[])
    ran = await run_action(Fallback(), trk)
    assert "petugas" in ran.text and ran.slot("unclear_turns") == 2.0
