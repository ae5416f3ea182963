"""The intent safety nets as Rasa components (nlu/intent_nets.py): what they do to a parsed message.

Runs in Rasa's environment (.venv-rasa), like the code it tests; hence the e2e marker (it needs .venv-rasa)."""

from __future__ import annotations

import pytest

from tests.support.rasa_script import run_in_rasa

pytestmark = pytest.mark.e2e

SCRIPT = """
from rasa.shared.nlu.training_data.message import Message
from rasa.nlu.classifiers.fallback_classifier import FallbackClassifier
from nlu.intent_nets import CompanyCheckNet, DangerSafetyNet, EntityNet, TopicNet


def parsed(text, intent, confidence, entities=()):
    message = Message(data={"text": text})
    message.set("intent", {"name": intent, "confidence": confidence}, add_to_output=True)
    ranking = [{"name": intent, "confidence": confidence}, {"name": "affirm", "confidence": confidence - 0.01}]
    message.set("intent_ranking", ranking, add_to_output=True)
    spans = [(e, v, max(text.find(v), 0)) for e, v in entities]
    message.set(
        "entities", [{"entity": e, "value": v, "start": s, "end": s + len(v)} for e, v, s in spans], add_to_output=True
    )
    return message


entity_net = EntityNet({"threshold": 0.4})
# the classifier's own guess, below the fallback threshold, is vouched for when the message names what it needs
for text, intent, entity in [
    ("and what about PT Contoh Graha Insan Mulia?", "check_agency", ("agency", "PT Contoh Graha Insan Mulia")),
    ("yg otomotif", "inform", ("job", "otomotif")),
]:
    [m] = entity_net.process([parsed(text, intent, 0.3, [entity])])
    assert m.get("intent") == {"name": intent, "confidence": 1.0}, m.get("intent")
    assert m.get("intent_ranking")[0] == {"name": intent, "confidence": 1.0}
    assert [r["name"] for r in m.get("intent_ranking")].count(intent) == 1
# ... another intent is replaced; a sure classifier and a message naming nothing are left alone
[m] = entity_net.process([parsed("yg otomotif", "affirm", 0.3, [("job", "otomotif")])])
assert m.get("intent")["name"] == "inform"
[m] = entity_net.process([parsed("yg otomotif", "search_vacancy", 0.8, [("job", "otomotif")])])
assert m.get("intent") == {"name": "search_vacancy", "confidence": 0.8}
# a bare value is an answer even when the classifier is sure it is small talk
[m] = entity_net.process([parsed("yg otomotif", "affirm", 0.8, [("job", "otomotif")])])
assert m.get("intent") == {"name": "inform", "confidence": 1.0}
[m] = entity_net.process([parsed("hmm", "affirm", 0.3)])
assert m.get("intent") == {"name": "affirm", "confidence": 0.3}
# an unsure emergency stays an emergency: never "kurang paham" for someone locked in
[m] = DangerSafetyNet({}).process([parsed("saya dikurung majikan", "report_emergency", 0.35)])
assert m.get("intent") == {"name": "report_emergency", "confidence": 1.0}
# a net that overrules a sure classifier leaves the others at half their confidence, so the FallbackClassifier
# (config.yml: ambiguity 0.05) does not call the message ambiguous ("kurang yakin")
[m] = TopicNet({}).process([parsed("kelas malam las di batam bayar brp?", "ask_placement_cost", 0.97,
                                    [("job", "las"), ("location", "batam")])])
assert m.get("intent") == {"name": "search_training", "confidence": 1.0}, m.get("intent")
assert [r["confidence"] for r in m.get("intent_ranking")] == [1.0, 0.485, 0.48], m.get("intent_ranking")
fallback = FallbackClassifier({"threshold": 0.4, "ambiguity_threshold": 0.05, "core_threshold": 0.3})
[m] = fallback.process([m])
assert m.get("intent")["name"] == "search_training", m.get("intent")
# an unsure question naming a place keeps a guess that asks about it; an unsure one about anything else is left
[m] = entity_net.process([parsed("ada kursus jahit di garut gk?", "search_training", 0.3, [("job", "jahit"),
                                                                                        ("location", "garut")])])
assert m.get("intent") == {"name": "search_training", "confidence": 1.0}
[m] = entity_net.process([parsed("bisa pesan tiket bus ke garut?", "out_of_scope", 0.3, [("location", "garut")])])
assert m.get("intent") == {"name": "out_of_scope", "confidence": 0.3}
# a button payload is never touched
[m] = CompanyCheckNet({}).process([parsed("/check_agency", "check_agency", 0.3, [("agency", "x")])])
assert m.get("intent") == {"name": "check_agency", "confidence": 0.3}
print("ok")
"""


def test_a_net_vouches_for_the_intent_it_names_and_leaves_the_rest():
    run_in_rasa(SCRIPT)
