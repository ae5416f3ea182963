"""End-to-end: guidance, trainings, offer check, fraud report, emergency and the staff API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
STAFF_AUTH = ("petugas-uji", "kata-sandi-uji-123")  # created by conftest.py


def test_channels_requirements_cost_job_card(say):
    assert "EPS" in say("g1", "sy mau krj ke korsel lwt jalur resmi gmn")[0]
    assert "18 tahun" in say("g2", "syarat jadi tkw ke hongkong apa aja")[0]
    assert "BEBAS BIAYA" in say("g3", "biaya jadi prt ke taiwan brp")[0]
    assert "Untuk pekerjaan apa" in say("g4", "berapa biaya kerja ke luar negeri")[0]  # asks the job
    assert "tidak termasuk 10 jabatan" in say("g4", "operator pabrik")[0]
    assert "Karirhub" in say("g5", "cara bikin kartu kuning")[0]


def test_a_cost_or_search_question_a_fact_answers_gets_the_fact_and_no_form_question(say):
    text = say("gf1", "tiket pulang pergi ditanggung siapa")[0]
    assert "tiket pergi-pulang" in text and "Untuk pekerjaan apa" not in text
    assert "BEBAS BIAYA" in say("gf1", "biaya jadi prt ke taiwan brp")[0]  # no form was left open
    text = say("gf2", "kontrak kerja harus ada isi apa aja")[0]
    assert "wajib memuat" in text and "Pekerjaan apa" not in text


def test_training_and_back_to_vacancies(say):
    text, buttons = say("t1", "pelatihan las gratis di bekasi ada gk")
    assert "Pengelasan SMAW" in text and "GRATIS" in text
    jobs = next(b for b in buttons if b["title"].startswith("Lowongan"))
    text, _ = say("t1", jobs["payload"])
    assert "lowongan" in text.lower()


def test_offer_check_with_named_company(say):
    text, _ = say(
        "o1",
        "ditawari kerja ke taiwan, disuruh transfer 5 juta ke rekening pribadi, pakai visa "
        "turis, lewat PT Uji Cipta Lintas Benua, ini penipuan bukan?",
    )
    assert "tanda bahaya" in text and "visa turis" in text and "DICABUT" in text


def test_fraud_report_with_a_change_of_mind_reaches_the_staff_api(stack, say):
    running, client = stack
    user = "fraud-e2e"
    assert "Siapa pelakunya" in say(user, "saya mau lapor penipuan, sudah bayar 10 juta ke calo")[0]
    say(user, "calo dari desa sebelah")
    say(user, "di cirebon")
    text, buttons = say(user, "bulan lalu")
    assert "10 juta" in text and {b["title"] for b in buttons} >= {"Ya, kirim", "Ubah", "Batal"}
    _, fields = say(user, next(b["payload"] for b in buttons if b["title"] == "Ubah"))
    say(user, next(b["payload"] for b in fields if b["title"] == "Jumlah uang"))
    text, buttons = say(user, "12 juta")
    assert "12 juta" in text
    text, _ = say(user, next(b["payload"] for b in buttons if b["title"] == "Ya, kirim"))
    assert "sudah kami simpan" in text
    assert client.get(f"{running.base_url}/api/escalations").status_code == 401
    queue = client.get(f"{running.base_url}/api/escalations?status=open", auth=STAFF_AUTH).json()
    mine = next(e for e in queue if e["user_id"] == user)
    assert (mine["reason"], mine["priority"], mine["channel"]) == ("fraud_report", "high", "web")
    detail = client.get(f"{running.base_url}/api/escalations/{mine['id']}", auth=STAFF_AUTH).json()
    assert detail["details"]["fraud_amount"] == "12 juta"
    assert any("lapor penipuan" in t["text"] for t in detail["transcript"])


def test_emergency_first_reply_has_the_hotline_and_is_urgent(stack, say):
    running, client = stack
    text, _ = say("sos-e2e", "tolong paspor saya ditahan majikan, gaji gak dibayar 4 bulan")
    assert "0800-1000" in text and "KBRI/KJRI" in text and "MENDESAK" in text
    queue = client.get(f"{running.base_url}/api/escalations?status=open", auth=STAFF_AUTH).json()
    assert queue[0]["priority"] == "urgent"


def test_request_human_and_cancel(say):
    assert "petugas" in say("h-e2e", "mau bicara dengan petugas")[0]
    assert "Pekerjaan apa" in say("c-e2e", "cari loker")[0]
    assert "dibatalkan" in say("c-e2e", "batal")[0]
