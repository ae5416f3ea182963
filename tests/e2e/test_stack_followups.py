"""End-to-end, one test per class of follow-up that went wrong (issue 11), on the real stack."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e
STAFF_AUTH = ("petugas-uji", "kata-sandi-uji-123")  # created by conftest.py


def _tickets(stack, user: str) -> list[dict]:
    running, client = stack
    return [
        e for e in client.get(f"{running.base_url}/api/escalations", auth=STAFF_AUTH).json() if e["user_id"] == user
    ]


def test_after_an_emergency_the_conversation_belongs_to_it(stack, say):
    user = "f-sos"
    text, _ = say(user, "tolong sy dikurung majikan gk boleh keluar rumah")
    assert text.index("0800-1000") < 400
    place, _ = say(user, "sy di johor bahru malaysia")
    assert "Pekerjaan apa" not in place and "tambahkan" in place and len(place) < 400
    cry, _ = say(user, "😭😭😭")
    assert "0800-1000" in cry and "kosong" not in cry
    plea, _ = say(user, "tolong, mau pulang")
    assert "0800-1000" in plea
    status, _ = say(user, "kapan petugasnya balas?")
    assert "darurat nomor" in status
    [ticket] = _tickets(stack, user)
    assert ticket["priority"] == "urgent"
    running, client = stack
    detail = client.get(f"{running.base_url}/api/escalations/{ticket['id']}", auth=STAFF_AUTH).json()
    assert [u["text"] for u in detail["details"]["updates"]][:2] == ["sy di johor bahru malaysia", "😭😭😭"]


@pytest.mark.parametrize(
    "words", ["dikunci di kamar sama majikan", "hp saya diambil majikan", "saya disekap di penampungan"]
)
def test_danger_words_are_an_emergency(say, words):
    text, _ = say(f"f-danger-{abs(hash(words))}", words)
    assert "0800-1000" in text[:400]


def test_company_names_are_taken_from_the_marker_without_trailing_words(say):
    text, _ = say("f-name1", "sy ditawari kerja sama PT Uji Bara Kencana Mulia dr situ katanya resmi gmn")
    assert "DIBEKUKAN" in text and "tidak persis sama" not in text
    text, _ = say("f-name2", "pt uji andalan samudra nusantara niku resmi kak?")
    assert "AKTIF" in text and "tidak persis sama" not in text


def test_a_new_name_while_did_you_mean_waits_is_a_new_check(say):
    text, _ = say("f-pend", "cek pt uji andalan")
    assert "Maksud Anda" in text
    text, _ = say("f-pend", "PT Uji Cipta Lintas Benua")
    assert "DICABUT" in text
    text, _ = say("f-pend2", "cek pt uji andalan")
    text, _ = say("f-pend2", "bukan, yang PT Uji Bara Kencana Mulia")
    assert "DIBEKUKAN" in text


def test_anywhere_button_and_any_job_answers_work(say):
    text, buttons = say("f-any", "loker welder di kab bogor")
    anywhere = next(b for b in buttons if "seluruh Indonesia" in b["title"])
    text, _ = say("f-any", anywhere["payload"])
    assert "Welder FCAW" in text and "belum kenal tempat" not in text
    assert "Pekerjaan apa" in say("f-any2", "cari loker")[0]
    text, _ = say("f-any2", "apa aja yg penting halal")
    assert "mana" in text  # the job is "any"; now the place
    text, _ = say("f-any2", "di mana saja")
    assert "Welder FCAW" in text or "Operator Produksi" in text


def test_refining_a_training_search_stays_with_trainings(say):
    text, _ = say("f-tr", "pelatihan las di jawa barat")
    assert "Pengelasan SMAW" in text
    text, _ = say("f-tr", "daftarnya gimana")
    assert text.startswith("Cara daftar") and "paspor" not in text.lower()


def test_red_flags_of_forgery_age_and_individual_recruiters(say):
    text, _ = say("f-rf", "sponsor saya bilang surat izin suami dibuatkan saja, umur di ktp dinaikkan, aman gak?")
    assert "tanda bahaya" in text and "Tidak menemukan" not in text and "dipalsukan" in text
    text, _ = say("f-rf", "tapi sponsornya orangnya baik kok")
    assert "Perseorangan" in text


def test_age_and_ship_kind_are_checked(say):
    assert "di luar batas usia program EPS" in say("f-age", "umur saya 41 mau daftar kerja ke korea, syaratnya apa")[0]
    assert "belum bisa bekerja ke luar negeri" in say("f-age2", "anak saya 17 tahun mau jadi tkw syaratnya apa")[0]
    text, _ = say("f-ship", "biaya jadi abk ke luar negeri berapa")
    assert "Kapal apa" in text


def test_fraud_report_keeps_the_users_words_accepts_corrections_and_answers_fear(stack, say):
    user = "f-fraud"
    say(user, "saya mau lapor penipuan, ditipu pak Budi dari PT Uji Palsu Jaya")
    text, _ = say(user, "saya takut kalau lapor nanti dicari")
    assert "Rasa takut itu wajar" in text
    say(user, "20 juta")
    say(user, "di cirebon")
    text, _ = say(user, "bulan lalu")
    assert "pak Budi dari PT Uji Palsu Jaya" in text
    text, _ = say(user, "pelakunya salah, harusnya bu Ani dari PT Uji Palsu Jaya")
    assert "bu Ani dari PT Uji Palsu Jaya" in text and "Ya, kirim" not in text.split("\n")[0]


def test_an_id_number_is_never_echoed_and_masked_for_staff(stack, say):
    text, _ = say("f-nik", "cek pt 3201014101900001 resmi gak")
    assert "3201014101900001" not in text and "jangan kirim NIK" in text


def test_status_question_reports_the_existing_ticket(stack, say):
    say("f-status", "paspor saya ditahan agen di taiwan")
    text, _ = say("f-status", "kapan petugasnya balas?")
    assert "nomor" in text
    assert len(_tickets(stack, "f-status")) == 1


def test_english_and_sundanese_are_understood(say):
    text, _ = say("f-en", "hello, I am looking for a welder job in Batam")
    assert "Note: this service is in Indonesian" in text.split("\n\n")[-1] and "Welder FCAW" in text
    text, _ = say("f-en2", "Help, my boss took my passport and locked me in the house")
    assert text.index("0800-1000") < text.index("Note: this service")
    text, _ = say("f-su", "punten, abdi hoyong damel janten welder di batam")
    assert "Welder FCAW" in text
