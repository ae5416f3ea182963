"""End-to-end: the real stack (Rasa + action server + gateway, via `tanyakerja run`) on its own data."""

from __future__ import annotations

import socket

import pytest

from tests.support.stackctl import chat, running_stack

pytestmark = pytest.mark.e2e


def _joined(replies: list[dict]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


@pytest.mark.parametrize(
    ("text", "expected", "licence"),
    [
        ("pt uji andalan samudra nusantara resmi gk ya kak", "AKTIF", "KEP.771/PPTKIS/III/2020"),
        ("cek PT. UJI BARA KENCANA MULIA dong", "DIBEKUKAN", "B.302/KA/V/2022"),
        ("apakah pt uji cipta lintas benua terdaftar?", "DICABUT", "SIP3MI-2023-0412"),
        ("tolong cek PT Uji Delta Prima Sejati", "KEDALUWARSA", "KEP.55/PPTKIS/I/2019"),
        ("cek PT Uji Elang Mas Perkasa", "KEDALUWARSA", "B.90/KA/II/2021"),
        ("cek nomor izin kep 771 pptkis iii 2020", "AKTIF", "KEP.771/PPTKIS/III/2020"),
        ("izin sip3mi 2023 0412 masih berlaku gak", "DICABUT", "SIP3MI-2023-0412"),
        ("PT Uji Cipta Lintas Benua bekasi resmi gak", "DICABUT", "SIP3MI-2023-0412"),  # a city after the name
    ],
)
def test_each_status_through_api_chat(stack, text, expected, licence):
    running, client = stack
    replies = chat(client, running.base_url, f"e2e-{abs(hash(text))}", text)
    answer = _joined(replies)
    assert expected in answer, answer
    assert licence in answer
    assert "1 November 2026" in answer  # the registry's as-of date
    assert "FIKTIF" not in answer  # a real (non-demo) registry is loaded


def test_asks_for_the_name_when_missing(stack):
    running, client = stack
    first = _joined(chat(client, running.base_url, "e2e-ask", "mau cek pt resmi atau tidak"))
    assert "Nama PT" in first
    second = _joined(chat(client, running.base_url, "e2e-ask", "PT Uji Bara Kencana Mulia"))
    assert "DIBEKUKAN" in second


def test_not_found_is_neither_illegal_nor_safe(stack):
    running, client = stack
    answer = _joined(chat(client, running.base_url, "e2e-nf", "cek pt zebra antah berantah resmi gak"))
    assert "tidak ada di salinan registri" in answer
    assert "BELUM berarti ilegal" in answer
    assert "0800-1000" in answer


def test_part_of_a_name_is_a_question_then_a_verdict(stack):
    """Two words of a registered name can only ever be a question ("Maksud Anda ...?"), never a verdict."""
    running, client = stack
    replies = chat(client, running.base_url, "e2e-sugg", "cek pt uji andalan")
    answer = _joined(replies)
    assert "Maksud Anda PT Uji Andalan Samudra Nusantara" in answer
    assert "AKTIF" not in answer
    buttons = [b for r in replies for b in r.get("buttons", [])]
    yes = next(b for b in buttons if b["title"] == "Ya")
    answer = _joined(chat(client, running.base_url, "e2e-sugg", yes["payload"]))
    assert "AKTIF" in answer and "Uji Andalan Samudra Nusantara" in answer


def test_a_spelling_slip_is_a_question_not_a_verdict(stack):
    running, client = stack
    replies = chat(client, running.base_url, "e2e-slip", "cek pt uji andalan samudera nusantara")
    answer = _joined(replies)
    assert "Maksud Anda PT Uji Andalan Samudra Nusantara" in answer and "AKTIF" not in answer
    answer = _joined(chat(client, running.base_url, "e2e-slip", "iya"))
    assert "AKTIF" in answer


def test_a_licence_number_a_digit_off_is_not_found_and_the_similar_one_is_named(stack):
    running, client = stack
    answer = _joined(chat(client, running.base_url, "e2e-lic", "izin KEP.779/PPTKIS/III/2020 asli gak?"))
    assert "tidak ada di salinan registri" in answer and "KEP.771/PPTKIS/III/2020" in answer
    assert "AKTIF" not in answer


def test_bad_input_gets_a_clear_answer(stack):
    running, client = stack
    assert "Pesan Anda kosong" in _joined(chat(client, running.base_url, "e2e-bad", "   "))
    assert "Pesan Anda kosong" in _joined(chat(client, running.base_url, "e2e-bad", "😀😀"))
    sql = _joined(chat(client, running.base_url, "e2e-bad", "cek PT x'; DROP TABLE agencies; --"))
    assert "tidak ada di salinan registri" in sql  # looked up as a name, and the registry still works afterwards:
    assert "AKTIF" in _joined(chat(client, running.base_url, "e2e-bad2", "cek PT Uji Andalan Samudra Nusantara"))
    too_long = client.post(f"{running.base_url}/api/chat", json={"user_id": "x", "text": "a" * 4001})
    assert 400 <= too_long.status_code < 500
    no_user = client.post(f"{running.base_url}/api/chat", json={"text": "halo"})
    assert 400 <= no_user.status_code < 500


def test_healthz_reports_all_parts(stack):
    running, client = stack
    r = client.get(f"{running.base_url}/healthz")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_sigterm_leaves_nothing_running(tmp_path):
    """A second, short-lived stack: after SIGTERM every port it used is free again."""
    with running_stack(tmp_path / "s2") as running:
        ports = [int(u.rsplit(":", 1)[1]) for u in (running.base_url, running.rasa_url, running.actions_url)]
    assert running.proc.returncode == 0
    for port in ports:
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still open"


def test_a_crashed_action_server_is_reported_restarted_and_nothing_is_lost(stack):
    """Kill the action server: the user gets 'sedang gangguan', the message is kept, the supervisor restarts it."""
    import os
    import signal
    import time

    import psutil
    from sqlalchemy import create_engine
    from sqlalchemy import text as sql

    running, client = stack
    actions = [p for p in psutil.Process(running.proc.pid).children() if "actions.server" in " ".join(p.cmdline())]
    assert len(actions) == 1
    os.killpg(actions[0].pid, signal.SIGKILL)
    actions[0].wait(timeout=10)
    during = _joined(chat(client, running.base_url, "e2e-crash", "cek PT Uji Bara Kencana Mulia"))
    assert "sedang gangguan" in during
    deadline = time.monotonic() + 90
    while client.get(f"{running.base_url}/healthz").status_code != 200:
        assert time.monotonic() < deadline, running.output_path.read_text()[-2000:]
        time.sleep(1)
    assert "actions exited" in running.output_path.read_text()
    after = _joined(chat(client, running.base_url, "e2e-crash", "cek PT Uji Bara Kencana Mulia"))
    assert "DIBEKUKAN" in after
    engine = create_engine(running.database_url)
    with engine.connect() as conn:
        rows = (
            conn.execute(
                sql("SELECT status FROM messages WHERE user_id = 'e2e-crash' AND direction = 'in' ORDER BY id")
            )
            .scalars()
            .all()
        )
    engine.dispose()
    assert rows == ["failed", "answered"]
