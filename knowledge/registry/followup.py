"""Questions right after a registry answer: the office, the licence number, how long it is valid, where it
sends workers, its phone, what the status means, and what to do next ("kantornya di mana?", "berlaku
sampai kapan?", "yg fajar timur itu ke negara mana aja", "terus saya harus gimana?").

The companies answered last are remembered as licence numbers in the `agency_last` slot; a registry answer
that named none ("tidak ada di registri") leaves it empty, and then only what to do next is answered.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.orm import Session

from knowledge.answers import Answer, load_copy
from knowledge.language.companies import normalize_name
from knowledge.language.dates import format_date_id
from knowledge.language.text import fold
from knowledge.registry.answer import lookalike_line, official_check_text, registry_lines
from knowledge.registry.lookup import find_lookalikes
from knowledge.registry.records import AgencyRecord, get_agency_by_license, registry_info

FEATURE = "agency"
# What a follow-up asks about, first match wins (patterns over folded text).
_ASKS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (field, re.compile(pattern))
    for field, pattern in (
        (
            "next",
            r"\b(harus|hrs|musti|mesti|sebaiknya) \w*\s?(gimana|gmn|bagaimana|apa|ngapain|gmna)\b|"
            r"\b(terus|trus|trs|lalu|jadi|jd) (gimana|gmn|bagaimana|gmna)\b|\bsaran\w*\b|\blangkah\w*\b|"
            r"\b(cek|ngecek|tanya|lapor) (ke ?mana|ke ?mn|dimana|di mana|dmn)\b",
        ),
        ("valid", r"\b(berlaku|sampai kapan|sampe kapan|smp kapan|kapan habis|masa berlaku|expired)\b"),
        (
            "license",
            r"\b(no|nomor|nmr|nomer|nomernya|nomornya)\b( \w+)? (izin|ijin)\w*|\b(izin|ijin)nya (apa|berapa|brp)\b",
        ),
        ("phone", r"\b(telepon|telp|telpon|tlp|no hp|nomor hp|kontak|kontaknya|wa nya|whatsapp)\b"),
        ("office", r"\b(kantor\w*|alamat\w*|lokasi\w*|cabang\w*|domisili)\b"),
        (
            "countries",
            r"\b(negara\w*|tujuan\w*|country|countries)\b|\b(ke ?mana|kemana) (aja|saja)\b|"
            r"\b(bisa|bs|isok|iso|biso|bisakah) (ke|kirim ke|berangkat\w* ke|nyalurin ke|lewat)\b|"
            r"\b(ke|nang|neng) \w+ (bisa|bs|isok|iso) lewat\b",
        ),
        ("compare", r"\b(beda\w*|mirip|sama (gak|nggak|ga|gk|tidak|kah)|sama dengan|sama dgn)\b"),
        (
            "meaning",
            r"\b(berarti|artinya|maksudnya|bisa daftar|boleh daftar|bisa berangkat\w*|bisa diproses|aman|legal|"
            r"resmi|tidak bisa|gak bisa|ga bisa|gk bisa|masih aktif|msh aktif|katanya|bilang)\b",
        ),
    )
)
# "yg terakhir", "yang kedua": which of several companies just answered.
_ORDINALS = {"pertama": 0, "kedua": 1, "ketiga": 2, "terakhir": -1}


def asked_field(text: str) -> str | None:
    """Which detail a follow-up asks about, or None when it is not a question about the company."""
    folded = fold(text)
    return next((field for field, pattern in _ASKS if pattern.search(folded)), None)


def _chosen(records: list[AgencyRecord], text: str) -> list[AgencyRecord]:
    """The companies a follow-up is about: the one whose name words it mentions, else all of them."""
    words = set(fold(text).split())
    for word, position in _ORDINALS.items():
        if word in words and len(records) > 1:
            return [records[position]]
    scored = [(len(words & set(normalize_name(r.name).split()) - {"contoh"}), r) for r in records]
    best = max((score for score, _ in scored), default=0)
    return [r for score, r in scored if score == best] if best else records


def _line(field: str, agency: AgencyRecord) -> str:
    c = load_copy(FEATURE)["followup"]
    status = load_copy(FEATURE)["status_label"][agency.status.value]
    if field == "office":
        place = ", ".join(p for p in (agency.address, agency.city, agency.province) if p)
        return (
            c["office"].format(name=agency.name, place=place) if place else c["office_unknown"].format(name=agency.name)
        )
    if field == "license":
        return c["license"].format(name=agency.name, license=agency.license_number, status=status)
    if field == "valid":
        if agency.valid_until is None:
            return c["valid_unknown"].format(name=agency.name, status=status)
        return c["valid"].format(name=agency.name, date=format_date_id(agency.valid_until), status=status)
    if field == "countries":
        if not agency.countries:
            return c["countries_unknown"].format(name=agency.name)
        return c["countries"].format(name=agency.name, countries=", ".join(agency.countries))
    if field == "phone":
        return c["phone"].format(name=agency.name, phone=agency.phone) if agency.phone else c["phone_unknown"]
    statuses = load_copy(FEATURE)["status"][agency.status.value]
    return "\n".join([statuses["headline"].format(name=agency.name), statuses["meaning"]])


def _compare(session: Session, agency: AgencyRecord) -> str:
    """The company, and the registry names that look like it: they are different companies."""
    registry = registry_info(session)
    lookalikes = find_lookalikes(session, agency, registry, today=date.today())
    lines = [_line("meaning", agency), lookalike_line(lookalikes) or ""]
    return "\n\n".join([*(line for line in lines if line), load_copy(FEATURE)["followup"]["compare"]])


# A general question about working abroad ("kalo ke korea yg resmi lwt apa?") is not about the company just
# checked unless it asks for one of its details.
_GENERAL_INTENTS = ("ask_overseas_channels", "ask_overseas_requirements")
# ... unless it points back at it ("berarti gak boleh daftar disitu ya").
_REFERS_BACK = re.compile(
    r"\b(di ?situ|di ?sana|pt ?nya|pt itu|perusahaan (itu|ini|nya)|agen ?nya|agen itu|yang itu|yg itu|sana)\b"
)


def agency_followup(session: Session, licences: list[str], text: str, intent: str | None = None) -> Answer | None:
    """The answer to a question about the companies just checked, or None when it is not one."""
    field = asked_field(text)
    general = intent in _GENERAL_INTENTS and not _REFERS_BACK.search(fold(text))
    if field is None or (general and field in ("meaning", "next")):
        return None
    registry = registry_info(session)
    records = [r for r in (get_agency_by_license(session, lic, today=date.today()) for lic in licences) if r]
    c = load_copy(FEATURE)["followup"]
    if field == "next" or not records:
        lead = c["next_found"] if records and all(r.status.value == "aktif" for r in records) else c["next_other"]
        return Answer("\n\n".join([lead, official_check_text()]))
    chosen = _chosen(records, text)
    lines = [_compare(session, a) if field == "compare" else _line(field, a) for a in chosen]
    return Answer("\n\n".join([*lines, "\n".join(registry_lines(registry))]))
