"""Issue 22, class 2: a problem with a training programme gets sourced help and the official channel, not
a search, "kurang paham" or the overseas requirements; a person looking for a training still gets the search."""

from __future__ import annotations

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions.training import ActionSearchTrainings, ValidateTrainingSearchForm
from nlu.decisions import topic_intent
from tests.factories import run_action, tracker


@pytest.mark.parametrize(
    ("message", "taken_for", "wanted"),
    [
        ("insentif prakerja sy blm cair udah 2 bulan, padahal ulasan udh diisi", "goodbye", "e-wallet"),
        ("gagal terus gelombang prakerja knp ya, data sy udh bener", "report_fraud", "gelombang berikutnya"),
        ("akun prakerja sy keblokir, katanya nik udh dipake org", "out_of_scope", "Pusat Bantuan"),
        ("sertifikat BLK sy ilang pas pindahan, gmn dapetinnya lg", "search_vacancy", "salinan"),
        ("sy tukang listrik 10 thn tp gk punya sertifikat BNSP, gmn caranya", "ask_overseas_requirements", "LSP"),
        ("min, pelatihan di BLK kok bayar 750rb? katanya gratis", "ask_placement_cost", "umumnya gratis"),
    ],
)
async def test_a_training_problem_gets_help_not_a_search(demo_db, message, taken_for, wanted):
    assert topic_intent(message, taken_for, set()) == "search_training"  # whatever the classifier said
    form = ValidateTrainingSearchForm()
    asked = await form.required_slots(["job", "location"], CollectingDispatcher(), tracker(message), {})
    assert asked == []  # no "bidang apa? di mana?" for a problem
    ran = await run_action(ActionSearchTrainings(), tracker(message, intent="search_training"))
    assert wanted in ran.text and ("prakerja.go.id" in ran.text or "BLK" in ran.text)
    assert [b["payload"] for b in ran.messages[0]["buttons"]] == ["/search_training", "/ask_help"]


@pytest.mark.parametrize(
    "message",
    [
        "pelatihan las gratis di semarang",
        "ada kursus menjahit di bdg gk",
        "umur 45 msh bisa ikut blk gk, mau belajar tata boga",
    ],
)
async def test_a_search_for_a_training_is_still_a_search(message):
    assert topic_intent(message, "search_training", set()) is None
    form = ValidateTrainingSearchForm()
    assert await form.required_slots(["job", "location"], CollectingDispatcher(), tracker(message), {}) == [
        "job",
        "location",
    ]


def test_an_emergency_is_never_turned_into_training_help():
    assert topic_intent("tolong sy dikurung di BLK swasta, gk boleh pulang", "report_emergency", set()) is None
