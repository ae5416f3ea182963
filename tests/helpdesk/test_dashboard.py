"""The dashboard's pages and forms: the queue, one conversation (masked numbers, reveal), claim, reply,
release, close, linked reports, the audit log for admins; no inline code anywhere (for the CSP)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from knowledge import transcripts
from knowledge.db import session_scope
from knowledge.escalations.store import create_escalation
from knowledge.models import Escalation, utcnow
from knowledge.staff import audit
from tests.helpdesk.conftest import csrf_of, login

NUMBER = "0812-3456-7890"


@pytest.fixture
def cases(staffed_db) -> dict[str, int]:
    ids = {}
    with session_scope(staffed_db) as s:
        for user, reason, minutes, who in [
            ("h1", "request_human", 30, None),
            ("f1", "fraud_report", 20, "PT Uji Tipu Jaya"),
            ("e1", "emergency", 5, None),
            ("f2", "fraud_report", 25, "pt uji tipu jaya"),
        ]:
            esc = create_escalation(s, channel="web", user_id=user, reason=reason, details={"fraud_who": who or "-"})
            s.get(Escalation, esc).created_at = utcnow() - timedelta(minutes=minutes)
            transcripts.record_message(s, channel="web", user_id=user, direction="in", text=f"tolong, wa saya {NUMBER}")
            ids[user] = esc
    return ids


def _form(client, url: str, page_html: str, **fields: str):
    return client.post(url, data={"csrf": csrf_of(page_html), **fields})


def test_the_queue_most_urgent_first_with_links_and_counts(logged_in, cases):
    client = logged_in("ani")
    html = client.get("/helpdesk/").text
    order = [int(i) for i in re.findall(r'<tr class="prio-[^"]*" data-id="(\d+)"', html)]
    assert order == [cases["e1"], cases["f2"], cases["f1"], cases["h1"]]  # emergency, fraud (oldest first), rest
    assert "dilaporkan 2×" in html  # both fraud reports name PT Uji Tipu Jaya
    assert NUMBER not in html and "[TELP]" in html
    assert 'id="count-open">4<' in html and 'id="count-urgent">1<' in html
    assert 'data-id="' in client.get("/helpdesk/?view=open&reason=emergency").text
    only = client.get("/helpdesk/?reason=fraud_report").text
    assert f'data-id="{cases["e1"]}"' not in only and f'data-id="{cases["f1"]}"' in only
    polled = client.get("/helpdesk/queue/rows?view=active").json()
    assert polled["ids"] == order and polled["counts"] == {"waiting_for_me": 0, "unclaimed": 4, "urgent": 1}
    again = client.get(f"/helpdesk/queue/rows?view=active&v={polled['v']}").json()
    assert again == {"unchanged": True, "v": polled["v"]}  # nothing new: nothing rendered


def test_the_queue_poll_sees_new_messages_and_escalations(logged_in, cases, staffed_db):
    client = logged_in("ani")
    version = client.get("/helpdesk/queue/rows?view=active").json()["v"]
    with session_scope(staffed_db) as s:
        transcripts.record_message(s, channel="web", user_id="h1", direction="in", text="halo? sudah 1 jam")
    polled = client.get(f"/helpdesk/queue/rows?view=active&v={version}").json()
    assert "halo? sudah 1 jam" in polled["html"]
    with session_scope(staffed_db) as s:
        new = create_escalation(s, channel="telegram", user_id="t9", reason="emergency", details={})
    polled = client.get(f"/helpdesk/queue/rows?view=active&v={polled['v']}").json()
    assert polled["ids"][0] == cases["e1"] and new in polled["ids"] and polled["counts"]["urgent"] == 2


def test_claim_reply_release_close_through_the_forms(logged_in, cases, staffed_db):
    ani, budi = logged_in("ani"), logged_in("budi")
    url = f"/helpdesk/escalations/{cases['e1']}"
    page = ani.get(url)
    assert page.status_code == 200 and NUMBER not in page.text and "[TELP]" in page.text
    r = _form(ani, f"{url}/claim", page.text)
    assert r.status_code == 303 and r.headers["location"] == f"{url}?ok=claimed"
    page = ani.get(r.headers["location"])
    assert "Bot sedang diam" in page.text and "Anda" in page.text
    r = _form(budi, f"{url}/claim", budi.get(url).text)
    assert "err=held" in r.headers["location"]  # the other staff member is told, nothing changes
    assert _form(ani, f"{url}/reply", page.text, text="Halo, saya Ani dari help desk.").status_code == 303
    assert _form(ani, f"{url}/reply", page.text, text="   ").headers["location"].endswith("err=empty#reply")
    updates = ani.get("/api/chat/updates", params={"user_id": "e1", "after": "0"}).json()["messages"]
    assert [(m["from"], m["text"]) for m in updates] == [("staff", "Halo, saya Ani dari help desk.")]
    assert ani.get("/helpdesk/queue/rows?view=mine").json()["counts"]["waiting_for_me"] == 0
    _form(ani, f"{url}/release", page.text)
    assert "kembali dilayani" in ani.get("/api/chat/updates", params={"user_id": "e1", "after": "0"}).text
    page = budi.get(url)
    r = _form(budi, f"{url}/close", page.text, outcome="referred_police", note="sudah ke Polres")
    assert r.headers["location"] == f"{url}?ok=closed"
    closed = budi.get(url).text
    assert "Dirujuk ke polisi" in closed and "sudah ke Polres" in closed and 'id="reply"' not in closed
    with staffed_db() as s:
        actions = [(e.staff, e.action) for e in reversed(audit.entries(s, escalation_id=cases["e1"]))]
    assert ("ani", "claim") in actions and ("ani", "reply") in actions and ("budi", "close") in actions


def test_a_form_without_the_csrf_token_is_refused(logged_in, cases):
    client = logged_in("ani")
    url = f"/helpdesk/escalations/{cases['h1']}"
    client.get(url)
    for action, fields in [("claim", {}), ("reply", {"text": "halo"}), ("close", {"outcome": "spam"}), ("reveal", {})]:
        r = client.post(f"{url}/{action}", data=fields)
        assert r.status_code == 403 and "token keamanan" in r.text
        r = client.post(f"{url}/{action}", data={**fields, "csrf": "tebakan"})
        assert r.status_code == 403
    assert client.get("/api/chat/updates", params={"user_id": "h1", "after": "0"}).json()["messages"] == []
    assert "Menunggu" in client.get(url).text  # still unclaimed


def test_reveal_shows_the_numbers_and_is_logged(logged_in, cases, staffed_db):
    client = logged_in("ani")
    url = f"/helpdesk/escalations/{cases['f1']}"
    page = client.get(url)
    assert NUMBER not in page.text
    r = _form(client, f"{url}/reveal", page.text)
    assert r.status_code == 303
    assert NUMBER in client.get(url).text
    assert NUMBER not in logged_in("budi").get(url).text  # revealed for ani, not for everyone
    with staffed_db() as s:
        assert [e.staff for e in audit.entries(s, action="reveal")] == ["ani"]


def test_a_conversation_page_polls_new_lines(logged_in, cases, staffed_db):
    client = logged_in("ani")
    url = f"/helpdesk/escalations/{cases['h1']}"
    cursor = re.search(r'data-cursor="([\d.]+)"', client.get(url).text).group(1)  # opaque (knowledge/cursors.py)
    assert client.get(f"{url}/lines?after={cursor}").json()["html"].strip() == ""
    with session_scope(staffed_db) as s:
        transcripts.record_message(s, channel="web", user_id="h1", direction="in", text="halo? masih ada?")
    data = client.get(f"{url}/lines?after={cursor}").json()
    assert "halo? masih ada?" in data["html"] and data["cursor"] != cursor and data["state"] == "open:"
    assert client.get(f"{url}/lines?after={data['cursor']}").json()["html"].strip() == ""
    assert client.get("/helpdesk/escalations/999/lines").status_code == 404


def test_the_audit_log_is_for_admins_and_shows_lockouts(logged_in, browser_for, cases):
    assert logged_in("ani").get("/helpdesk/audit").status_code == 403
    for _ in range(5):
        login(browser_for(), "budi", "tebakan-yang-salah")
    boss = logged_in("boss")
    queue = boss.get("/helpdesk/").text
    assert "sedang dikunci" in queue and "pair:budi|testclient" in queue  # the admin is told on the queue page
    page = boss.get("/helpdesk/audit").text
    assert "Dikunci: salah kata sandi berulang" in page and "dikunci sampai" in page
    assert "Masuk" in boss.get("/helpdesk/audit?staff=boss&action=login").text
    assert "sedang dikunci" not in logged_in("ani").get("/helpdesk/").text  # only admins see it


def test_unknown_or_malformed_ids_are_404(logged_in):
    client = logged_in("ani")
    page = client.get("/helpdesk/")
    for raw in ("999", "abc", str(2**64), "0"):
        assert client.get(f"/helpdesk/escalations/{raw}").status_code == 404
        assert _form(client, f"/helpdesk/escalations/{raw}/claim", page.text).status_code == 404
    assert _form(client, "/helpdesk/escalations/1/dance", page.text).status_code == 404


def test_no_inline_code_on_any_page(logged_in, cases, browser_for):
    client = logged_in("boss")
    pages = [browser_for().get("/helpdesk/").text] + [
        client.get(url).text
        for url in ("/helpdesk/", f"/helpdesk/escalations/{cases['e1']}", "/helpdesk/audit", "/helpdesk/escalations/9")
    ]
    for html in pages:
        assert "<script>" not in html and "<style" not in html and " style=" not in html
        assert not re.search(r"\son[a-z]+=", html)  # no inline event handlers
        assert '<script src="/helpdesk/static/helpdesk.js" defer></script>' in html
    js = client.get("/helpdesk/static/helpdesk.js")
    assert js.status_code == 200 and "queue-rows" in js.text
    assert client.get("/helpdesk/static/helpdesk.css").status_code == 200


def test_masking_for_staff_views():
    from dataclasses import replace

    from knowledge.escalations.queue import snippet
    from knowledge.escalations.shown import staff_lines
    from knowledge.transcripts import TranscriptLine

    def line(text: str, masked: str | None) -> TranscriptLine:
        return TranscriptLine(1, "in", text, (), "ok", utcnow(), "user", None, masked)

    stored = line("wa 0812-3456-7890", "wa [TELP]")
    assert [x.text for x in staff_lines([stored])] == ["wa [TELP]"]  # the copy stored with the line
    assert [x.text for x in staff_lines([stored], revealed=True)] == ["wa 0812-3456-7890"]
    old = line("wa 0812-3456-7890, NIK 3201014101900001, paspor C1234567", None)  # stored before 0004
    assert [x.text for x in staff_lines([old])] == ["wa [TELP], NIK [NIK], paspor [PASPOR]"]
    # past the page's budget an old line shows no digit at all, the newest lines get the budget first
    shown = staff_lines([old, replace(old, id=2)], budget=len(old.text))
    assert "•" in shown[0].text and not any(ch.isdigit() for ch in shown[0].text)
    assert shown[1].text == "wa [TELP], NIK [NIK], paspor [PASPOR]"
    shown = snippet("a" * 130 + " 0812-3456-7890 " + "b" * 100)
    assert "0812" not in shown and "3456" not in shown and shown.endswith("…")  # a number across the cut
    assert snippet("wa 0812-3456-7890", "wa [TELP]") == "wa [TELP]"
