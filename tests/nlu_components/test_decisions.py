"""The intent safety nets' decisions (nlu/decisions.py), without Rasa."""

from __future__ import annotations

import pytest

from knowledge.guidance.red_flags import find_red_flags
from nlu.decisions import (
    company_intent,
    danger_intent,
    entity_intent,
    is_bare_answer,
    red_flag_intent,
    topic_intent,
)


@pytest.mark.parametrize(
    ("text", "intent", "expected"),
    [
        # a described offer with a red flag gets the warning whatever the classifier filed it as
        (
            "mau ke jepang lwt pak Joko, katanya bayar 20 juta dulu ke rekening dia",
            "ask_overseas_channels",
            "check_offer",
        ),
        ("ada loker pabrik di taiwan, tinggal transfer 5 jt ke rekening pribadi", "search_vacancy", "check_offer"),
        ("agen bilang kontraknya ditandatangani nanti di sana aja, aman?", "report_emergency", "check_offer"),
        ("kalo lewat calo tetangga sy gimana", "report_fraud", "check_offer"),
        # ... but never a fraud that happened, a real danger, or a plea
        ("sy ditipu calo, sudah transfer 5 jt ke rekening pribadinya", "report_fraud", None),
        ("tolong paspor saya ditahan calo, saya mau pulang", "report_emergency", None),
        ("sy lagi sakit di taiwan, majikan ngancam potong gaji kalau libur", "report_emergency", None),
        # a fraud that has happened: money already paid, an offer that turned out fake, a recruiter gone
        ("udah transfer tapi lokernya ternyata bodong, gimana", "report_fraud", None),
        ("terlanjur bayar 3 juta ke calo, skrg nomornya gak bisa dihubungi", "report_fraud", None),
        # ... money lost or not returned, a recruiter who no longer answers, a complaint
        ("kakak sy dijanjikan kerja di taiwan lewat calo, duitnya gak balik2", "report_fraud", None),
        ("dp 10 jt ke agen udah kebayar, sekarang agennya gak bales chat", "report_fraud", None),
        ("lpk nya ternyata abal2, kami rugi belasan juta, mau ngadu kemana", "report_fraud", None),
        ("katanya kalau gagal uang kembali, calo nya aman gak?", "report_fraud", "check_offer"),
        # no red flag: the classifier's intent stays
        ("jalur resmi ke korea apa aja", "ask_overseas_channels", None),
        # a red flag only mentioned, no offer described: the question stays what it is
        ("cara bikin akun tiktok yg bagus", "out_of_scope", None),
        ("kerja ke kamboja resmi gak sih", "ask_overseas_channels", None),
        ("biaya medical itu siapa yang nanggung", "ask_placement_cost", None),
        # ... and the same flags in an offer someone made get the warning
        ("ada yg nawarin kerja di kamboja lewat tiktok, gaji gede", "ask_overseas_channels", "check_offer"),
        ("agen minta biaya medical 4 jt dulu", "ask_placement_cost", "check_offer"),
    ],
)
def test_red_flags_get_the_offer_check(text, intent, expected):
    assert red_flag_intent(text, intent, 0.9) == expected


def test_a_training_asked_as_a_cost_is_a_training_search():
    assert topic_intent("kursus jahit di semarang bayar berapa", "ask_placement_cost", {"job"}) == "search_training"
    assert topic_intent("biaya jadi prt ke hongkong berapa", "ask_placement_cost", {"job"}) is None


def test_pre_departure_training_asked_as_a_cost_stays_a_cost_question():
    assert topic_intent("biaya pelatihan sebelum berangkat ke taiwan brp", "ask_placement_cost", {"country"}) is None
    assert topic_intent("kelas malam welder bayar brp", "search_vacancy", {"job"}) == "search_training"


def test_a_search_or_cost_question_a_fact_answers_keeps_its_intent_and_a_status_question_gets_the_fact():
    # the cost and vacancy forms answer these with the fact (tests/actions: the forms ask nothing)
    assert topic_intent("perjanjian kerja wajib memuat apa saja", "search_vacancy", set()) is None
    assert topic_intent("tiket pulang pergi ditanggung siapa", "ask_placement_cost", set()) is None
    assert topic_intent("perjanjian kerja wajib memuat apa saja", "ask_ticket_status", set()) == "out_of_scope"
    assert topic_intent("cari kerja dong", "search_vacancy", set()) is None
    # what a term means is a glossary question, not a company check; a named company stays a check
    assert topic_intent("PJTKI itu sama dgn P3MI?", "check_agency", set()) == "out_of_scope"
    assert topic_intent("apa itu P3MI", "check_agency", set()) == "out_of_scope"
    assert topic_intent("PT Contoh Maju itu P3MI bukan?", "check_agency", {"agency"}) is None
    assert topic_intent("cara cek PJTKI resmi gimana", "check_agency", set()) is None
    assert topic_intent("loker las di batam", "search_vacancy", {"job", "location"}) is None


def test_an_unsure_message_is_about_what_it_names():
    # a bare value with filler words is an answer; a company or licence number is a check
    assert entity_intent("di bekasi aja kak", "out_of_scope", 0.3, {"location"}, ["bekasi"]) == "inform"
    assert entity_intent("malaysia min", "greet", 0.3, {"country"}, ["malaysia"]) == "inform"
    assert (
        entity_intent(
            "yaudah staf admin di jakarta aja, sy D3",
            "search_vacancy",
            0.3,
            {"job", "location", "education"},
            ["staf admin", "jakarta", "D3"],
        )
        == "inform"
    )
    assert (
        entity_intent("jadi satpam di jayapura", "out_of_scope", 0.3, {"location", "job"}, ["satpam", "jayapura"])
        == "inform"
    )
    assert entity_intent("PT Contoh Jaya", "out_of_scope", 0.3, {"agency"}, ["PT Contoh Jaya"]) == "check_agency"
    # a question that names a place or job keeps the classifier's guess when it is a question about them...
    assert (
        entity_intent(
            "min ada plthn tata boga di mks gk?", "search_training", 0.3, {"job", "location"}, ["tata boga", "mks"]
        )
        == "search_training"
    )
    assert (
        entity_intent(
            "kerja las ke jepang modalnya brp", "ask_placement_cost", 0.3, {"job", "country"}, ["las", "jepang"]
        )
        == "ask_placement_cost"
    )
    # ... is about going there when it names only a country, and is otherwise left to the fallback
    assert entity_intent("kerja di taiwan gmn", "greet", 0.3, {"country"}, ["taiwan"]) == "ask_overseas_channels"
    assert (
        entity_intent("bisa pesen tiket kereta ke Surabaya disini?", "out_of_scope", 0.3, {"location"}, ["Surabaya"])
        is None
    )
    assert (
        entity_intent("kursus tukang kayu jogja", "inform", 0.3, {"job", "location"}, ["tukang kayu", "jogja"]) is None
    )
    # a bare value is an answer even when the classifier is sure it is small talk; "P" (the chat ping) is no value
    assert entity_intent("malaysia min", "greet", 0.6, {"country"}, ["malaysia"]) == "inform"
    assert entity_intent("bukan, di bekasi", "deny", 0.9, {"location"}, ["bekasi"]) == "inform"
    assert entity_intent("P", "greet", 0.6, {"education"}, ["P"]) is None
    assert entity_intent("makasih infonya, di bekasi ada?", "thank", 0.6, {"location"}, ["bekasi"]) is None
    # a sure classifier, and a message naming nothing, are left alone
    assert entity_intent("di bekasi", "out_of_scope", 0.8, {"location"}, ["bekasi"]) is None
    assert entity_intent("hmm", "out_of_scope", 0.3, set(), []) is None


def test_a_bare_answer_is_a_value_with_filler_words_at_most():
    assert is_bare_answer("Tanjung Pinang, Kepri", ["Tanjung Pinang", "Kepri"])
    assert is_bare_answer("lulusan smk kak", ["smk"])
    assert is_bare_answer("yg operator crane aja", ["operator crane"])
    assert not is_bare_answer("tata boga di mks?", ["tata boga", "mks"])
    assert not is_bare_answer("ada loker di bekasi", ["bekasi"])
    assert not is_bare_answer("biaya ke taiwan", ["taiwan"])
    assert not is_bare_answer("jam berapa sekarang di jepang", ["jepang"])


def test_danger_and_company_checks():
    assert danger_intent("hp saya diambil majikan") == "report_emergency"
    assert danger_intent("hp saya rusak") is None
    assert danger_intent("my employer took my passport and locked me in") == "report_emergency"
    # a question about an offer before departure is not an emergency (the offer check warns about it)
    assert danger_intent("is it normal that the agent keeps my passport before I fly") is None
    assert danger_intent("paspor mau dipegang agen sblm berangkat, wajar gk?") is None
    assert danger_intent("kata sponsor paspor akan ditahan sampai lunas, normal ga") is None
    assert danger_intent("paspor saya dipegang agen di taiwan, sy gak bisa pulang") == "report_emergency"
    # emergencies told as stories (issue 22): hurt, unfed, out of touch, the passport taken by "ngambil"
    for story in (
        "sy ABK kapal ikan, tangan kena mesin, kapten gk mau antar ke darat",
        "adik ipar sy di arab gk dikasih makan cuma roti sekali sehari",
        "anak saya berangkat ke arab lewat sponsor tahun 2019, sejak lebaran kmrn gk ada kabar sama sekali",
        "suami sy sakit parah di sana, agennya minta 25jt dulu baru dipulangkan",
        "katanya agennya ngambil paspor, tinggal di kontainer ber 10",
        "tlg min darurat",
    ):
        assert danger_intent(story) == "report_emergency", story
    # ...but not a question about what would happen, nor a recruiter who vanished with the money
    assert danger_intent("kalau kecelakaan kerja di korea ditanggung asuransi gak") is None
    assert danger_intent("sy udh bayar 5jt ke sponsor tetangga, skrg gak bisa dihubungi") is None
    assert (
        company_intent("PT Sinar Jaya Abadi katanya resmi gmn", "ask_overseas_channels", {"agency"}) == "check_agency"
    )
    # a licence number asked about is a check; a bare one (the answer to the form's question) stays inform
    assert company_intent("KEP 123 TAHUN 2020 masih aktif kah", "inform", {"license_number"}) == "check_agency"
    assert company_intent("PT Sinar Jaya Abadi", "inform", {"agency"}) is None
    # a formal question about a company's "legalitas" is a check; whether its vacancy is still open is a search
    assert (
        company_intent(
            "Saya hendak menanyakan legalitas PT Contoh Maju, mohon info", "ask_overseas_channels", {"agency"}
        )
        == "check_agency"
    )
    assert company_intent("loker di PT Contoh Maju masih buka gk", "search_vacancy", {"agency"}) is None
    assert company_intent("PT Contoh Maju masih aktif gk", "search_vacancy", {"agency"}) == "check_agency"


def test_a_company_name_is_not_a_red_flag():
    from nlu.decisions import without_names

    text = "calonya bilang dari PT Uji Palsu Jaya, itu gimana"
    assert red_flag_intent(text, "out_of_scope", 0.9) == "check_offer"  # "calo" and "palsu" are red flags
    assert "red_flag_forged_documents" not in find_red_flags(without_names(text, ["PT Uji Palsu Jaya"]))


def test_a_story_s_need_is_read_out_of_it():
    """Issue 22, classes 3, 5 and 6: a jobseeker's situation, a complaint about an office, a forwarded scam."""
    from nlu.decisions import story_intent

    # a jobseeker telling their situation, taken for small talk or the way abroad: the vacancy search
    story = "udah 4 bulan nganggur, lulusan smk otomotif, di cirebon, ada kerjaan gak ya"
    assert story_intent(story, "goodbye", {"location", "education"}) == "search_vacancy"
    assert (
        story_intent(
            "anak sy lulus sma di bojonegoro, pengen kerja pabrik, gk mau ke luar negeri",
            "ask_overseas_channels",
            set(),
        )
        == "search_vacancy"
    )
    assert story_intent("pengen kerja ke LN biar bisa nyekolahin anak", "ask_overseas_channels", set()) is None
    # a complaint about an official office goes to a petugas (who gives the complaint channels)
    assert story_intent("udh lapor ke BP3MI dari maret gak ada respon sama sekali", "ask_ticket_status", set()) == (
        "request_human"
    )
    assert story_intent("KBRI lambat bgt ngurus paspor sy", "ask_overseas_requirements", set()) == "request_human"
    # a forwarded text promising money, or paid likes, is judged as a scam; money already lost stays a report
    hoax = "fwd dr grup: SELAMAT anda terpilih dapat bantuan tunai 5jt dari pemerintah, klik link bit.ly/xx"
    assert story_intent(hoax, "out_of_scope", set()) == "check_offer"
    assert story_intent("ada tawaran kerja like & subscribe youtube 200rb/hari", "search_vacancy", set()) == (
        "check_offer"
    )
    assert story_intent("sy ketipu kerja like video, udh transfer 4jt buat misi", "report_fraud", set()) is None
    # danger first
    assert story_intent("KBRI lambat, sy dikurung majikan", "report_emergency", set()) is None


def test_an_offer_that_already_cheated_the_person_is_a_fraud_report():
    from nlu.decisions import story_intent

    for story in (
        "sy udh bayar 12 jt ke sponsor buat ke taiwan, udh 1 thn gk brgkt2",
        "bukti transfer 3x ke rek atas nama Sdr Wawan total 9,5jt buat kerja di brunei, skrg diblokir wa nya",
        "pas dicek di BP3MI katanya JO nya palsu, uang udh masuk 15jt",
    ):
        assert story_intent(story, "check_offer", set()) == "report_fraud", story
    # an offer still to judge stays an offer check
    assert story_intent("disuruh transfer 5 juta ke rekening pribadi, pakai visa turis", "check_offer", set()) is None
    assert story_intent("apakah job order ini palsu?", "check_offer", set()) is None
    asked = "disuruh transfer 5 juta ke rekening pribadi, pakai visa turis, lewat PT X, ini penipuan bukan?"
    assert story_intent(asked, "check_offer", set()) is None


def test_more_stories_read_for_their_need():
    from nlu.decisions import story_intent

    # kept in, threatened at home, smuggled, sick and refused care: emergencies
    for story in (
        "sy ART di medan, majikan gk bolehin sy keluar rumah 1 tahun",
        "calo dateng ke rumah bawa 3 org, ngancam kalau gk bayar rumah kami mau diambil",
        "adik sy dibawa org ke pontianak mau dilewatin jalur tikus ke malaysia",
        "bapak sy di sarawak udh 2 minggu sakit gk bisa jalan, bos gk mau bawa ke klinik",
    ):
        assert danger_intent(story) == "report_emergency", story
    assert danger_intent("kata agen nanti paspor sy mau diambil majikan, wajar?") is None
    # a wish to talk to a person; a jobseeker afraid of brokers; work in Indonesia said outright
    assert story_intent("tolong hubungi sy di nomor ini, masalahnya rahasia", "out_of_scope", set()) == "request_human"
    worried = "pengen kerja di kebun sawit di kalimantan, ada yg resmi gk, takut ketipu calo"
    assert story_intent(worried, "check_offer", set()) == "search_vacancy"
    korean = "eks EPS korea, skrg di cikarang, cari kerja di perusahaan korea di indonesia"
    assert story_intent(korean, "ask_overseas_channels", set()) == "search_vacancy"


def test_hurt_now_and_money_already_gone_are_read_even_with_a_nanti_or_a_ternyata():
    from nlu.decisions import red_flag_intent, story_intent

    # "katanya nanti potong gaji" does not make a sick worker's story a hypothetical
    assert danger_intent("udh 2 minggu sakit gk bisa jalan, bos gk mau bawa ke klinik, katanya nanti potong gaji")
    assert danger_intent("kalau kecelakaan kerja di korea ditanggung asuransi gak") is None
    for story, taken_for in (
        ("disuruh bayar 2jt buat seragam, ternyata pabriknya gk pernah buka lowongan", "check_offer"),
        ("akun fb itu udh ambil uang sy 2,5jt utk formulir, skrg akunnya ilang", "check_offer"),
        ("uang kursus bahasa korea sy 7jt dibawa kabur pemilik LPK", "search_training"),
    ):
        assert story_intent(story, taken_for, set()) == "report_fraud", story
    # an offer with a red flag taken for small talk or "batal" is an offer to check
    assert red_flag_intent("gaji 30jt jd pembantu di eropa bner gk sih?", "cancel", 0.9) == "check_offer"
    # a fraud in an office's name is no complaint about the office
    from knowledge.language.needs import office_complaint

    assert not office_complaint("td pagi ada 2 org ngaku dari BP2MI dtg ke rumah, minta uang 500rb per kk")
