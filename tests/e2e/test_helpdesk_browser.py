"""The help desk in a real browser (headless Chromium driven by Playwright) against the real stack:
a staff member logs in (after a wrong password), sees a new emergency arrive at the top of the queue
without a reload, opens it, claims it, replies; the reply appears in the user's web chat (a second
browser); the release is announced there and the bot answers again. A form posted without its CSRF token
is refused. Screenshots go to results/helpdesk/ for people to look at.

Skipped only when Chromium or Playwright is missing and TANYAKERJA_REQUIRE_BROWSER is unset (CI sets it).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import STAFF
from tests.support.stackctl import REPO_ROOT

pytestmark = pytest.mark.e2e
SHOTS = REPO_ROOT / "results" / "helpdesk"
WAIT_MS = 30_000  # the web chat polls every 5 s, the dashboard every 3-5 s
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


def _chromium() -> str | None:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    return found or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Debian's Chromium under Playwright (Playwright's own browser download is not used)."""
    path = _chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        path = None
    if path is None:
        if os.environ.get("TANYAKERJA_REQUIRE_BROWSER"):
            pytest.fail("a real browser is required here: apt-get install chromium (and pip install playwright)")
        pytest.skip("Chromium or Playwright is not installed")
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=path, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def shot(page, name: str) -> None:
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_a_staff_member_handles_an_emergency_in_the_browser(browser, stack):
    from playwright.sync_api import expect

    running, client = stack
    base = running.base_url
    staff = browser.new_context(viewport={"width": 1366, "height": 768}, locale="id-ID")
    user = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID", is_mobile=True)
    desk, chat = staff.new_page(), user.new_page()
    errors: list[str] = []
    for page in (desk, chat):
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on(
            "console",
            lambda msg: errors.append(f"{msg.text} ({msg.location.get('url')})") if msg.type == "error" else None,
        )

    # log in: first a wrong password
    desk.goto(f"{base}/helpdesk/")
    desk.fill("#username", STAFF[0])
    desk.fill("#password", "bukan-kata-sandinya")
    desk.click("button[type=submit]")
    expect(desk.locator(".alert.error")).to_contain_text("salah")
    shot(desk, "01-login-wrong-password")
    desk.fill("#username", STAFF[0])
    desk.fill("#password", STAFF[1])
    desk.click("button[type=submit]")
    expect(desk.locator("#queue-rows")).to_be_visible()
    shot(desk, "02-queue-before")

    # a person in danger writes in the web chat; the emergency appears in the open queue by itself
    chat.goto(f"{base}/")
    chat.fill("#text", "tolong paspor saya ditahan majikan di Malaysia, saya dikunci di rumah")
    chat.click("#send")
    expect(chat.locator(".msg.bot").last).to_contain_text("0800-1000", timeout=WAIT_MS)
    user_id = chat.evaluate("localStorage.getItem('tanyakerja-user-id')")
    [esc] = [e for e in client.get(f"{base}/api/escalations", auth=STAFF).json() if e["user_id"] == user_id]
    assert esc["reason"] == "emergency"
    row = desk.locator(f"#queue-rows tr[data-id='{esc['id']}']")
    expect(row).to_be_visible(timeout=WAIT_MS)  # no reload: the page polls
    first = desk.locator("#queue-rows tr[data-id]").first
    assert "prio-urgent" in (first.get_attribute("class") or "")  # an emergency is at the top of the queue
    expect(first.locator(".badge").first).to_have_text("Darurat")
    shot(desk, "03-queue-emergency-on-top")
    assert desk.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # fits 1366x768

    # open it, claim it
    row.locator("a.open").click()
    expect(desk.locator("#lines")).to_contain_text("paspor saya ditahan")
    desk.click("#claim")
    expect(desk.locator(".alert.ok")).to_contain_text("Anda tangani")
    shot(desk, "04-conversation-claimed")

    # the user writes: one notice, and the staff member sees the message without a reload
    chat.fill("#text", "halo, ada orang? saya takut")
    chat.click("#send")
    expect(chat.locator(".msg.bot").last).to_contain_text("ditangani langsung oleh petugas", timeout=WAIT_MS)
    expect(desk.locator("#lines")).to_contain_text("ada orang? saya takut", timeout=WAIT_MS)

    # reply: it arrives in the web chat, marked as from a Petugas
    reply = "Halo, saya petugas help desk. Anda aman sekarang? Kami hubungi KBRI Kuala Lumpur."
    desk.fill("#reply-text", reply)
    desk.click("#reply button[type=submit]")
    expect(desk.locator(".alert.ok")).to_contain_text("Balasan terkirim")
    staff_msg = chat.locator(".msg.staff").last
    expect(staff_msg).to_contain_text(reply, timeout=WAIT_MS)
    expect(staff_msg.locator(".who")).to_have_text("Petugas")
    shot(chat, "05-webchat-staff-reply")
    shot(desk, "06-conversation-replied")

    # a form posted without the CSRF token (as another site would) is refused, and changes nothing
    refused = desk.request.post(f"{base}/helpdesk/escalations/{esc['id']}/release", form={"x": "1"})
    assert refused.status == 403
    forged = desk.request.post(f"{base}/helpdesk/escalations/{esc['id']}/close", form={"outcome": "spam", "csrf": "x"})
    assert forged.status == 403
    assert client.get(f"{base}/api/escalations/{esc['id']}", auth=STAFF).json()["status"] == "assigned"

    # release: the user is told, and the bot answers again
    desk.click("#release")
    expect(desk.locator(".alert.ok")).to_contain_text("dikembalikan ke bot")
    expect(chat.locator(".msg.bot").last).to_contain_text("kembali dilayani", timeout=WAIT_MS)
    chat.fill("#text", "cek PT Uji Andalan Samudra Nusantara resmi gak")
    chat.click("#send")
    expect(chat.locator(".msg.bot").last).to_contain_text("KEP.771/PPTKIS/III/2020", timeout=WAIT_MS)
    shot(chat, "07-webchat-bot-again")

    # on a phone the queue is a list of cards, without sideways scrolling
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, storage_state=staff.storage_state()
    )
    mobile = phone.new_page()
    mobile.goto(f"{base}/helpdesk/")
    expect(mobile.locator("#queue-rows")).to_be_visible()
    assert mobile.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(mobile, "08-queue-phone")
    mobile.goto(f"{base}/helpdesk/escalations/{esc['id']}")
    shot(mobile, "09-conversation-phone")
    # no script errors, no CSP violations, no failed requests (the web chat page has no icon of its own)
    assert [e for e in errors if "/favicon.ico" not in e] == []
    for context in (phone, staff, user):
        context.close()
