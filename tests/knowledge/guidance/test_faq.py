"""Questions one of our sourced facts answers: the glossary, and the ranking weighed towards what was shown."""

from __future__ import annotations

import pytest

from knowledge.facts import all_facts
from knowledge.guidance.answers import shown_facts
from knowledge.guidance.faq import answer_facts, glossary_facts

EPS = shown_facts("requirements", "Korea Selatan")
COSTS = shown_facts("costs")
JOB_CARD = shown_facts("job_card")
REQUIREMENTS = shown_facts("requirements")


@pytest.mark.parametrize(
    ("question", "fact"),
    [
        ("apa itu SISKOP2MI?", "siskop2mi"),
        ("kartu kuning itu apa sih", "job_card_what"),
        ("pptkis itu apaan", "old_names"),
        ("bedanya BP3MI sama LTSA apa", "ltsa_bp3mi_verify"),
        ("job order itu apa ya", "job_order_what"),
    ],
)
def test_what_is_a_term(question, fact):
    assert fact in glossary_facts(question)


@pytest.mark.parametrize(
    ("question", "shown", "fact"),
    [
        ("ujiannya apa saja", EPS, "eps_stage_1"),
        ("kalau sudah lolos ujian dijamin berangkat?", EPS, "eps_no_guarantee"),
        ("pernah dideportasi dari korea masih bisa?", EPS, "eps_requirements"),
        ("visa kerjanya bayar sendiri?", COSTS, "zero_cost_items"),
        ("kalau gajinya dipotong buat utang gimana", COSTS, "no_salary_loans"),
        ("kartunya berlaku sampai kapan", JOB_CARD, "job_card_validity"),
        ("bawa dokumen apa aja buat bikin kartunya", JOB_CARD, "job_card_documents"),
        ("harus cek kesehatan jiwa juga?", REQUIREMENTS, "doc_health"),
        ("call center kp2mi nomornya berapa", (), "kp2mi_call_center"),
    ],
)
def test_a_question_finds_its_fact(question, shown, fact):
    assert fact in answer_facts(question, shown)


def test_who_signs_the_permission_letter_is_answered_from_the_facts_just_shown():
    facts = answer_facts("surat izin orang tua harus diketahui siapa", REQUIREMENTS)
    assert any("kepala desa" in all_facts()[f].text for f in facts)


@pytest.mark.parametrize(
    "question",
    ["besok hujan gak ya di bandung", "resep rendang gimana", "halo kak", "loker las di batam", "ok makasih"],
)
def test_questions_no_fact_answers_get_nothing(question):
    assert answer_facts(question) == ()


def test_every_glossary_fact_exists():
    assert set(glossary_facts("p3mi itu apa")) <= set(all_facts())
