"""Server-rendered dashboard pages: one Jinja2 environment (autoescaped), Indonesian labels, times in WIB."""

from __future__ import annotations

import functools
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from knowledge.escalations.handoff import OUTCOMES
from knowledge.escalations.links import KIND_LABELS
from knowledge.escalations.shown import shown_user_id
from knowledge.staff.audit import ACTIONS

TEMPLATES = Path(__file__).parent / "templates"
WIB = timezone(timedelta(hours=7), "WIB")  # staff work in Indonesia; the database keeps UTC
MONTHS = "Jan Feb Mar Apr Mei Jun Jul Agu Sep Okt Nov Des".split()
REASONS = {
    "emergency": "Darurat",
    "fraud_report": "Penipuan",
    "request_human": "Minta petugas",
    "not_understood": "Bot tidak paham",
}
STATUSES = {"open": "Menunggu", "assigned": "Diambil", "resolved": "Selesai"}
CHANNELS = {"web": "Web chat", "telegram": "Telegram", "whatsapp": "WhatsApp"}
SENDERS = {"user": "Pengguna", "bot": "Bot", "staff": "Petugas", "notice": "Pemberitahuan"}
VIEWS = {
    "active": "Aktif (menunggu + diambil)",
    "open": "Belum diambil",
    "assigned": "Sedang diambil",
    "mine": "Milik saya",
    "resolved": "Selesai",
    "all": "Semua",
}
DETAIL_LABELS = {
    "fraud_who": "Pelaku (PT/orang)",
    "fraud_amount": "Uang yang sudah dibayar",
    "fraud_where": "Tempat kejadian",
    "fraud_when": "Waktu kejadian",
    "message": "Pesan pertama",
    "country": "Negara",
    "updates": "Tambahan dari pengguna",
}


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def wib(value: datetime | str | None) -> str:
    """'14:05' today, '3 Des 14:05' on another day, '3 Des 2025 14:05' in another year (WIB); also for
    an ISO 8601 text such as the times stored in an escalation's details ('2026-12-07T23:52:16Z')."""
    if isinstance(value, str):
        parsed = _parsed(value)
        if parsed is None:
            return value  # not a time after all: shown as it is
        value = parsed
    if value is None:
        return ""
    local, today = _utc(value).astimezone(WIB), datetime.now(WIB).date()
    clock = local.strftime("%H:%M")
    if local.date() == today:
        return clock
    year = "" if local.year == today.year else f" {local.year}"
    return f"{local.day} {MONTHS[local.month - 1]}{year} {clock}"


def _parsed(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def iso(value: datetime | str | None) -> str:
    """Machine-readable time for <time datetime=...>."""
    if isinstance(value, str):
        value = _parsed(value)
    return _utc(value).isoformat(timespec="seconds") if value else ""


def ago(value: datetime | None) -> str:
    """How long since then: 'baru saja', '12 mnt', '3 jam', '2 hari'."""
    if value is None:
        return ""
    seconds = max(0, int((datetime.now(UTC) - _utc(value)).total_seconds()))
    if seconds < 60:
        return "baru saja"
    if seconds < 3600:
        return f"{seconds // 60} mnt"
    if seconds < 86400:
        return f"{seconds // 3600} jam {seconds % 3600 // 60} mnt"
    return f"{seconds // 86400} hari"


shown_user = shown_user_id  # templates: a WhatsApp id is a phone number, only its last digits unless revealed


@functools.cache
def environment() -> Environment:
    """The template environment (built on first use, not at import)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(wib=wib, iso=iso, ago=ago)  # no masking filter: text comes masked (or revealed) from the thread
    env.globals.update(
        REASONS=REASONS,
        STATUSES=STATUSES,
        CHANNELS=CHANNELS,
        SENDERS=SENDERS,
        VIEWS=VIEWS,
        OUTCOMES=OUTCOMES,
        DETAIL_LABELS=DETAIL_LABELS,
        KIND_LABELS=KIND_LABELS,
        ACTIONS=ACTIONS,
        shown_user=shown_user,
    )
    return env


def render(name: str, **context: Any) -> str:
    """One template rendered to text."""
    return environment().get_template(name).render(**context)


def page(name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A whole page; never cached (it shows personal data)."""
    return html_page(render(name, **context), status_code)


def html_page(html: str, status_code: int = 200) -> HTMLResponse:
    """A page rendered already (in a worker thread, for a long one); never cached."""
    return HTMLResponse(html, status_code=status_code, headers={"Cache-Control": "no-store"})
