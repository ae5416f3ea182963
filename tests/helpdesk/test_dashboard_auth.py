"""Dashboard logins: cookie flags, CSRF on the login form and every other form, logout, expiry, throttling."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from knowledge.models import utcnow
from knowledge.staff import audit
from knowledge.staff.models import StaffSession
from tests.helpdesk.conftest import csrf_of, login


def _cookie(response, name: str) -> str:
    found = [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]
    assert found, f"no {name} cookie set"
    return found[0].lower()


def test_the_login_page_and_a_session_cookie_a_script_cannot_read(browser_for, staffed_db):
    client = browser_for()
    page = client.get("/helpdesk/")
    assert page.status_code == 200 and 'action="/helpdesk/login"' in page.text and "Kata sandi" in page.text
    assert page.headers["cache-control"] == "no-store"
    r = login(client, "ani")
    assert r.status_code == 303 and r.headers["location"] == "/helpdesk/"
    cookie = _cookie(r, "tk_staff")
    assert "httponly" in cookie and "samesite=strict" in cookie and "path=/helpdesk" in cookie
    assert "secure" not in cookie  # plain http (a developer's machine)
    queue = client.get("/helpdesk/")
    assert queue.status_code == 200 and "Antrean" in queue.text and "ani" in queue.text
    with staffed_db() as s:
        assert [e.action for e in audit.entries(s, staff="ani")] == ["login"]


def test_behind_https_the_cookies_are_secure(browser_for):
    page = browser_for().get("/helpdesk/", headers={"X-Forwarded-Proto": "https"})  # a TLS proxy in front
    assert "secure" in _cookie(page, "tk_login")
    client = browser_for(base_url="https://testserver")
    r = login(client, "ani")
    assert r.status_code == 303 and "secure" in _cookie(r, "tk_staff")
    assert "Antrean" in client.get("/helpdesk/").text


def test_a_wrong_password_and_throttling(browser_for, staffed_db):
    client = browser_for()
    r = login(client, "ani", "salah-salah-salah")
    assert r.status_code == 200 and "salah" in r.text and "tk_staff=" not in r.headers.get("set-cookie", "")
    for _ in range(4):
        login(client, "ani", "salah-salah-salah")
    r = login(client, "ani")  # the right password right after five wrong ones
    assert r.status_code == 429 and "Terlalu banyak" in r.text
    assert login(browser_for(), "budi").status_code == 303  # another account works


def test_the_login_form_needs_its_csrf_token(browser_for):
    client = browser_for()
    client.get("/helpdesk/")
    r = client.post("/helpdesk/login", data={"username": "ani", "password": "sandi-ani-12345", "csrf": "palsu"})
    assert r.status_code == 403
    fresh = browser_for()  # a form posted from another site carries no login cookie at all
    r = fresh.post("/helpdesk/login", data={"username": "ani", "password": "sandi-ani-12345", "csrf": "x"})
    assert r.status_code == 403


def test_logout_ends_the_session_everywhere(logged_in):
    client = logged_in("ani")
    stolen = client.cookies.get("tk_staff", path="/helpdesk")
    page = client.get("/helpdesk/")
    assert client.post("/helpdesk/logout", data={"csrf": "salah"}).status_code == 403  # CSRF-checked too
    r = client.post("/helpdesk/logout", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303 and 'tk_staff=""' in r.headers["set-cookie"]
    client.cookies.set("tk_staff", stolen, path="/helpdesk")
    assert 'action="/helpdesk/login"' in client.get("/helpdesk/").text  # the old cookie is worthless


def test_a_session_ends_when_idle_or_old(logged_in, staffed_db):
    client = logged_in("ani")
    assert "Antrean" in client.get("/helpdesk/").text
    with staffed_db() as s, s.begin():
        s.execute(update(StaffSession).values(last_seen_at=utcnow() - timedelta(minutes=61)))
    assert 'action="/helpdesk/login"' in client.get("/helpdesk/").text
    assert client.get("/helpdesk/queue/rows").status_code == 401  # the page's polling: it reloads to the login
    client = logged_in("ani")
    with staffed_db() as s, s.begin():
        s.execute(update(StaffSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert 'action="/helpdesk/login"' in client.get("/helpdesk/").text


def test_pages_ask_for_a_login_and_come_back(browser_for):
    client = browser_for()
    r = client.get("/helpdesk/escalations/1")
    assert r.status_code == 303 and r.headers["location"] == "/helpdesk/?next=/helpdesk/escalations/1"
    assert client.get("/helpdesk/audit").status_code == 303
    assert client.post("/helpdesk/escalations/1/claim", data={}).status_code == 303
    page = client.get("/helpdesk/?next=https://evil.example/")
    assert 'name="next" value="/helpdesk/"' in page.text  # never sent to another site after the login


def test_two_login_tabs_both_work(browser_for):
    client = browser_for()
    first = csrf_of(client.get("/helpdesk/").text)
    second = csrf_of(client.get("/helpdesk/").text)  # the same browser opened the login page again
    assert first == second
    r = client.post("/helpdesk/login", data={"username": "ani", "password": "sandi-ani-12345", "csrf": first})
    assert r.status_code == 303
