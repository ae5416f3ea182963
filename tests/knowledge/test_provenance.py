"""Every phone number, fee and law number the bot can say comes from a sourced fact in knowledge/content.

The texts checked: every domain.yml response, every copy file (knowledge/messages), and the answers the
guidance, report and agency modules build. Numbers that are data (licence numbers, salaries from a feed)
are not in these texts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.reports import ActionReportEmergency, ActionRequestHuman, ActionSubmitFraudReport
from knowledge.answers import MESSAGES_DIR
from knowledge.facts import all_facts
from knowledge.guidance.answers import channels_answer, cost_answer, job_card_answer, requirements_answer
from knowledge.guidance.offers import offer_answer, offer_followup
from knowledge.guidance.red_flags import find_red_flags
from knowledge.language.vocab import country_names
from knowledge.registry.answer import not_found_answer, official_check_text
from knowledge.registry.records import RegistryInfo

ROOT = Path(__file__).resolve().parents[2]
PHONE = re.compile(r"(?<![\w/.])\+?\d[\d ()-]{5,}\d(?![\w/])")
LAW = re.compile(
    r"\b(?:UU|Undang-Undang|Perpres|PP|Permen\w*|Peraturan \w+|Kepmen\w*|Keputusan \w+)\s+"
    r"(?:No\.?\s*|Nomor\s*)?\d+[\d./-]*(?:\s+Tahun\s+\d{4})?",
    re.IGNORECASE,
)
FEE = re.compile(
    r"\bRp\s?\d[\d.,]*(?:\s*(?:juta|miliar|ribu|jt|rb))?|\b\d+(?:[.,]\d+)?\s*(?:juta|miliar)\b", re.IGNORECASE
)


def numbers_in(text: str) -> set[str]:
    """Phone numbers, law numbers and amounts of money in a text."""
    return {m.group(0).strip() for rx in (PHONE, LAW, FEE) for m in rx.finditer(text)}


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


@pytest.fixture(scope="module")
def fact_text() -> str:
    return "\n".join(f.text for f in all_facts().values())


def test_the_extractor_finds_what_it_should():
    found = numbers_in(
        "Hubungi 0800-1000 atau +62 21 2924 4800; Peraturan BP2MI 9/2020, UU 18/2017; Rp5 miliar; 1500630"
    )
    assert found >= {"0800-1000", "+62 21 2924 4800", "Peraturan BP2MI 9/2020", "UU 18/2017", "Rp5 miliar", "1500630"}


def test_copy_and_domain_responses_hold_no_numbers_of_their_own(fact_text):
    texts = _strings(yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))["responses"])
    for path in MESSAGES_DIR.glob("*.yml"):
        texts += _strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    for text in texts:
        for number in numbers_in(text):
            assert number in fact_text, f"'{number}' in copy is not from knowledge/content: {text[:80]}"


def _built_answers(session) -> list[str]:
    texts = [
        requirements_answer(None).text,
        requirements_answer("Korea Selatan", "saya umur 41 mau ke korea").text,
        requirements_answer(None, "anak saya umur 16 mau kerja ke taiwan").text,
        job_card_answer().text,
        official_check_text(),
        not_found_answer("PT X", RegistryInfo(as_of=None, is_demo=False, version=1, size=1)).text,
    ]
    texts += [channels_answer(session, country).text for country in [None, *country_names()]]
    texts += [cost_answer(job).text for job in [None, "prt", "sopir keluarga", "operator pabrik", "abk", "pilot"]]
    offers = [
        "disuruh transfer 5 juta ke rekening pribadi, berangkat pakai visa turis",
        "kerja ke kamboja lewat calo, semua biaya ditanggung, gaji 40 juta, kontraknya belum ada",
        "jadi prt ke saudi, ktp disuruh kirim, iklan di facebook, tanpa pengalaman",
        "lowongan biasa",
        "loker pabrik di bekasi disuruh bayar seragam 2 juta dulu",
        "sponsor bilang surat izin suami dibuatkan saja, umur di ktp dinaikkan",
    ]
    texts += [offer_answer(o, find_red_flags(o), None).text for o in offers]
    texts += [offer_followup(o).text for o in ("tapi bu Ani orangnya baik kok", "terus gimana", "dia minta dp 3 juta")]
    return texts


async def test_every_number_in_built_answers_is_a_sourced_fact(demo_db, fact_text):
    with demo_db() as session:
        texts = _built_answers(session)
    tracker = Tracker(
        "web:u",
        {"fraud_who": "calo", "fraud_amount": "5 juta", "fraud_where": "Cirebon", "fraud_when": "bulan lalu"},
        {"text": "paspor saya ditahan majikan", "intent": {"name": "report_emergency"}, "entities": []},
        [],
        False,
        None,
        {},
        "action_listen",
    )
    for action in (ActionReportEmergency(), ActionRequestHuman(), ActionSubmitFraudReport()):
        dispatcher = CollectingDispatcher()
        await action.run(dispatcher, tracker, {})
        texts += [m.get("text") or "" for m in dispatcher.messages]
    user_said = {"5 juta"}  # the fraud report repeats what the user typed; that is not a fact
    checked = 0
    for text in texts:
        for number in numbers_in(text) - user_said:
            checked += 1
            assert number in fact_text, f"'{number}' is not from knowledge/content: ...{text[:120]}"
    assert checked >= 10  # the answers really carry numbers (hotlines, laws), so the check bites
