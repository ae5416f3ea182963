"""Guidance actions and red flags, on the demo registry."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.guidance import (
    ActionCheckOffer,
    ActionJobCard,
    ActionOverseasChannels,
    ActionOverseasRequirements,
    ActionPlacementCost,
    ValidatePlacementCostForm,
)
from knowledge.guidance.red_flags import find_red_flags
from tests.factories import ent, located, run_action, tracker, write  # noqa: F401


async def test_channels_with_a_country_note_and_the_registry(demo_db):
    ran = await run_action(
        ActionOverseasChannels(), tracker("sy mau krj ke korsel lwt jalur resmi gmn", intent="ask_overseas_channels")
    )
    text, messages, _ = ran.text, ran.messages, ran.events
    assert "G to G" in text and "EPS" in text and "tidak menjamin" in text  # Korea: the EPS facts
    assert "P3MI berizin aktif dengan tujuan Korea Selatan" in text and "FIKTIF" in text
    assert messages[0]["buttons"][0]["payload"] == '/search_vacancy{"country":"Korea Selatan"}'
    ran = await run_action(ActionOverseasChannels(), tracker("kerja ke kamboja gimana", intent="ask_overseas_channels"))
    text, _, _ = ran.text, ran.messages, ran.events
    assert "scam hub" in text


async def test_requirements_and_job_card(demo_db):
    ran = await run_action(
        ActionOverseasRequirements(), tracker("syarat kerja ke hongkong", intent="ask_overseas_requirements")
    )
    text, _, _ = ran.text, ran.messages, ran.events
    assert "18 tahun" in text and "visa kerja" in text.lower() and "Hong Kong" in text
    ran = await run_action(ActionJobCard(), tracker("cara bikin kartu kuning", intent="ask_job_card"))
    text, _, _ = ran.text, ran.messages, ran.events
    assert "Karirhub" in text and "gratis" in text.lower() and "cek ke Disnaker" in text


@pytest.mark.parametrize(
    ("job", "expected"),
    [
        ("pengurus rumah tangga", "BEBAS BIAYA"),
        ("prt", "BEBAS BIAYA"),
        ("abk kapal ikan", "BEBAS BIAYA"),
        ("sopir keluarga", "BEBAS BIAYA"),
        ("operator pabrik", "tidak termasuk"),
        ("astronot", "belum bisa memastikan"),
    ],
)
async def test_cost_says_plainly_whether_the_job_is_zero_cost(demo_db, job, expected):
    ran = await run_action(ActionPlacementCost(), tracker(slots={"cost_job": job}))
    text, _, events = ran.text, ran.messages, ran.events
    assert expected in text and "(info per" in text  # cost facts change: their date is shown
    assert SlotSet("cost_job", None) in events and SlotSet("context", "guidance") in events  # for follow-ups


async def test_cost_form_takes_the_job_from_the_question_or_asks():
    form = ValidatePlacementCostForm()
    assert (
        await form.extract_cost_job(
            CollectingDispatcher(), tracker("kerja jadi prt ke hk bayar gak", intent="ask_placement_cost"), {}
        )
        != {}
    )
    assert (
        await form.extract_cost_job(CollectingDispatcher(), tracker("biayanya berapa", intent="ask_placement_cost"), {})
        == {}
    )
    assert await form.extract_cost_job(
        CollectingDispatcher(), tracker("jadi nelayan", slots={"requested_slot": "cost_job"}), {}
    ) == {"cost_job": "jadi nelayan"}


async def test_offer_check_lists_each_flag_and_checks_the_named_company(demo_db):
    offer = (
        "disuruh transfer 5 juta ke rekening pribadi, berangkat pakai visa turis, "
        "katanya lewat PT Contoh Bintang Timor Sejahtera"
    )
    ran = await run_action(ActionCheckOffer(), tracker(offer, intent="check_offer"))
    text, messages, _ = ran.text, ran.messages, ran.events
    assert "tanda bahaya" in text
    assert "rekening bank pribadi" in text and "visa turis" in text
    assert "DICABUT" in text  # the named company is in the registry, revoked
    assert [b["payload"] for b in messages[0]["buttons"]] == ["/report_fraud", "/check_agency"]


@pytest.mark.parametrize(
    "offer",
    [
        "ditawarin kerja jadi admin di luar negeri, tiket pesawat gratis",  # an online-gambling job, often
        "anak sy dapat kerjaan pelayan restoran di malaysia, katanya berangkat bulan depan",
        "kerja jadi welder di jepang lewat P3MI yang sudah saya cek, kontrak sudah saya baca",
    ],
)
async def test_an_offer_without_a_red_flag_is_never_declared_safe(demo_db, offer):
    """Issue 22, class 1: no flag found = what could not be checked, the three checks, the missing facts."""
    ran = await run_action(ActionCheckOffer(), tracker(offer, intent="check_offer"))
    text = ran.text.lower()
    assert "tidak menemukan tanda bahaya" not in text and "belum bisa menyatakan tawaran ini aman" in text
    assert "izin aktif" in text and "job order" in text and "rekening pribadi" in text  # the three checks
    assert "nama pt" in text and "0800-1000" in text  # asks for the missing facts; the official line


@pytest.mark.parametrize(
    ("offer", "flags"),
    [
        (
            "disuruh transfer 5 juta ke rekening pribadi, berangkat pakai visa turis, PT-nya gak jelas",
            ["red_flag_personal_account", "red_flag_fee", "red_flag_tourist_visa", "channel_p3mi"],
        ),
        (
            "ada loker di fb kerja ke kamboja gaji 40 juta tanpa pengalaman, semua biaya ditanggung",
            [
                "red_flag_social_media",
                "red_flag_salary",
                "red_flag_easy",
                "red_flag_all_costs",
                "red_flag_scam_destination",
            ],
        ),
        (
            "jadi prt ke saudi lewat sponsor desa, ktp sama kk disuruh kirim foto, kontraknya belum ada",
            ["red_flag_individual_recruiter", "red_flag_documents", "red_flag_no_contract", "red_flag_moratorium"],
        ),
        ("kerja jadi welder di jepang lewat P3MI yang sudah saya cek, kontrak sudah saya baca", []),
        # issue 22: the same flags in the words real stories use
        ("katanya nanti berangkat pake visa bisnis dulu", ["red_flag_tourist_visa"]),
        ("minta liat jo nya gk dikasih, katanya rahasia perusahaan", ["red_flag_hidden_job_order"]),
        ("ditawari jd TKW di oman, aman?", ["red_flag_moratorium"]),
        ("anak sy mau diajak kerja sm tante nya ke singapura", ["red_flag_individual_recruiter"]),
        ("berangkat umroh gratis trus di sana langsung kerja", ["red_flag_tourist_visa", "red_flag_easy"]),
        ("masuk pake pas lawatan sosial, nanti diurus permit disana", ["red_flag_tourist_visa"]),
        ("tanda tangan surat ijin di depan agen aja gk usah ke kades", ["red_flag_forged_documents"]),
        ("harus pinjem di koperasi yg ditunjuk agen 25jt, dibayar potong gaji", ["no_salary_loans"]),
    ],
)
def test_red_flags(offer, flags):
    assert find_red_flags(offer) == flags


async def test_a_cost_question_a_fact_answers_is_answered_without_asking_the_job(demo_db):
    form = ValidatePlacementCostForm()
    question = tracker("tiket pulang pergi ditanggung siapa", intent="ask_placement_cost")
    assert await form.required_slots(["cost_job"], CollectingDispatcher(), question, {}) == []
    ran = await run_action(ActionPlacementCost(), question)
    assert ran.text.startswith("• ")  # the sourced fact alone, not the general cost rules
    # a question that names a job, or the answer to "pekerjaan apa?", still goes through the form
    named = tracker("kerja jadi prt ke hk bayar gak", intent="ask_placement_cost", entities=[ent("job", "prt")])
    assert await form.required_slots(["cost_job"], CollectingDispatcher(), named, {}) == ["cost_job"]
    answer = tracker("tiket pulang pergi ditanggung siapa", slots={"requested_slot": "cost_job"})
    assert await form.required_slots(["cost_job"], CollectingDispatcher(), answer, {}) == ["cost_job"]


async def test_after_the_facts_a_new_question_naming_what_it_looks_up_gets_its_own_action(demo_db):
    from actions.guidance import ActionGuidanceFollowup

    shown = {"context": "guidance", "guidance_facts": ["zero_cost_items"]}
    new = tracker(
        "biaya jadi prt ke taiwan brp",
        intent="ask_placement_cost",
        entities=[ent("job", "prt"), ent("country", "taiwan")],
        slots=shown,
    )
    ran = await run_action(ActionGuidanceFollowup(), new)
    assert ran.text == "" and {"event": "followup", "name": "placement_cost_form"} in [
        {k: e.get(k) for k in ("event", "name")} for e in ran.events
    ]
    # a question about the facts shown still gets the facts
    about = tracker("tiketnya juga gratis?", intent="ask_placement_cost", slots=shown)
    assert "tiket pergi-pulang" in (await run_action(ActionGuidanceFollowup(), about)).text


@pytest.mark.parametrize(
    ("forwarded", "wanted"),
    [
        ("fwd dr grup: SELAMAT no anda terpilih dapat bantuan tunai 5jt dari KP2MI, hub 0853xxx", ".go.id"),
        ("dapet chat: kerja paruh waktu like & subscribe youtube, gaji 300rb/hari, top up dulu", "patrolisiber.id"),
    ],
)
async def test_a_forwarded_scam_text_is_named_as_one(demo_db, forwarded, wanted):
    """Issue 22, class 6: a forwarded text of a known scam kind is judged as such, never cleared."""
    ran = await run_action(ActionCheckOffer(), tracker(forwarded, intent="check_offer"))
    assert "hampir pasti penipuan" in ran.text and wanted in ran.text
    assert "belum bisa menyatakan tawaran ini aman" not in ran.text  # not the unchecked-offer answer
