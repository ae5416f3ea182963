"""The web chat in a real browser (headless Chromium) under the gateway's Content-Security-Policy, on a
360-pixel-wide phone: the page loads its script and style, a message gets the bot's answer with buttons, a
button press is answered, nothing scrolls sideways, and no CSP violation or script error is reported."""

from __future__ import annotations

import pytest

from tests.e2e.test_helpdesk_browser import SHOTS, WAIT_MS, browser, shot

pytestmark = pytest.mark.e2e
__all__ = ["browser"]  # the module-scoped Chromium fixture, shared


def test_the_web_chat_works_on_a_small_phone_under_the_csp(browser, stack):
    from playwright.sync_api import expect

    running, _ = stack
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID", is_mobile=True)
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on(
        "console",
        lambda msg: problems.append(f"{msg.text} ({msg.location.get('url')})") if msg.type == "error" else None,
    )
    response = page.goto(f"{running.base_url}/")
    assert response is not None and "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"

    welcome = page.locator(".msg.bot").first
    expect(welcome).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".buttons button", has_text="Darurat").first).to_be_visible()  # the menu has it
    heights = page.eval_on_selector_all(".buttons button", "els => els.map(e => e.getBoundingClientRect().height)")
    assert heights and min(heights) >= 44, heights  # tap targets a thumb can hit
    page.fill("#text", "halo")
    page.click("#send")
    answer = page.locator(".msg.bot").last
    expect(answer).to_be_visible(timeout=WAIT_MS)
    buttons = page.locator(".buttons button")
    expect(buttons.first).to_be_visible(timeout=WAIT_MS)
    answers_before = page.locator(".msg.bot").count()
    buttons.first.click()
    expect(page.locator(".msg.bot").nth(answers_before)).to_be_visible(timeout=WAIT_MS)  # an answer more
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # the stylesheet applied (a blocked one would leave the browser's default layout)
    assert page.evaluate("getComputedStyle(document.querySelector('header')).backgroundColor") == "rgb(11, 110, 79)"
    # <b>markup</b> typed by the user stays text; a phone number in an answer can be tapped (tel:)
    page.fill("#text", "batal <b>tebal</b>")
    page.click("#send")
    expect(page.locator(".msg.me", has_text="<b>tebal</b>")).to_be_visible(timeout=WAIT_MS)
    assert page.locator(".msg b").count() == 0
    answers_before = page.locator(".msg.bot").count()
    page.fill("#text", "kalau ketipu calo lapor ke mana ya?")
    page.click("#send")
    expect(page.locator(".msg.bot").nth(answers_before)).to_be_visible(timeout=WAIT_MS)
    expect(page.locator(".msg.bot a[href^='tel:']").first).to_be_visible(timeout=WAIT_MS)
    shown = page.locator(".msg").count()
    # a reload keeps the conversation on screen (the bot kept its state all along)
    page.reload()
    expect(page.locator(".msg.me", has_text="lapor ke mana").first).to_be_visible(timeout=WAIT_MS)
    assert page.locator(".msg").count() >= shown - 1
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot(page, "webchat-360px")
    violations = [p for p in problems if "/favicon.ico" not in p]
    assert violations == [], violations
    context.close()
