"""End-to-end: informal writing, interruptions inside forms, corrections and the two-stage fallback."""

from __future__ import annotations

import psutil
import pytest

pytestmark = pytest.mark.e2e


def test_agency_question_inside_the_vacancy_form_then_back(say):
    assert "Pekerjaan apa" in say("r-mid", "cari loker dong")[0]
    assert "mana" in say("r-mid", "las")[0]
    text, _ = say("r-mid", "eh bentar, PT Uji Bara Kencana Mulia resmi gak?")
    assert "DIBEKUKAN" in text.upper() and "mana" in text  # the verdict, then the form's question again
    text, _ = say("r-mid", "batam")
    assert "Welder FCAW" in text


def test_correcting_the_place_searches_again(say):
    assert "PT Uji Otomotif" in say("r-fix", "loker operator produksi di cikarang")[0]
    text, _ = say("r-fix", "eh bukan cikarang, maksudnya karawang")
    assert "PT Uji Plastik" in text and "PT Uji Otomotif" not in text


def test_thanks_inside_a_form_then_the_question_again_and_cancel(say):
    say("r-thx", "saya mau lapor penipuan")
    text, _ = say("r-thx", "makasih ya kak")
    assert "Sama-sama" in text and "Siapa pelakunya" in text
    text, _ = say("r-thx", "ulang dari awal")
    assert "batal" in text.lower()


def test_two_unclear_messages_in_a_row_offer_a_petugas(say):
    first, _ = say("r-fb", "zxqv plomk trabadu")
    assert "kata lain" in first
    second, buttons = say("r-fb", "wkwkwk qqqq zzz")
    assert "petugas" in second
    assert any(b["payload"] == "/request_human" for b in buttons)


def test_a_bare_new_search_asks_again_instead_of_repeating_the_last(say):
    assert "Welder FCAW" in say("r-new", "loker las di btm")[0]
    assert "Pekerjaan apa" in say("r-new", "cari loker")[0]


def test_rasa_answers_only_the_gateway(stack, say):
    """Reaching Rasa's port is not enough: its REST channel refuses turns without RASA_TOKEN (nlu/channels.py),
    while the gateway, which sends it, is answered; and the token is on no command line (nlu/serve.py)."""
    running, client = stack
    r = client.post(f"{running.rasa_url}/webhooks/rest/webhook", json={"sender": "r-direct", "message": "halo"})
    assert r.status_code == 401
    bearer = {"Authorization": "Bearer tebakan"}
    r = client.post(
        f"{running.rasa_url}/webhooks/rest/webhook", json={"sender": "r-direct", "message": "halo"}, headers=bearer
    )
    assert r.status_code == 401
    assert say("r-direct", "halo")[0]  # the gateway's turn goes through
    rasa = [p for p in psutil.Process(running.proc.pid).children() if "nlu.serve run" in " ".join(p.cmdline())]
    assert rasa, "Rasa is started through nlu.serve"
    token = rasa[0].environ()["RASA_TOKEN"]  # the environment is readable only by the same user
    for proc in [psutil.Process(running.proc.pid), *psutil.Process(running.proc.pid).children(recursive=True)]:
        line = " ".join(proc.cmdline())
        assert "--auth-token" not in line and token not in line, line
