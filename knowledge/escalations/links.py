"""Linked reports: escalations that name the same agency (or licence number), phone number or bank account,
so staff see "dilaporkan 3 kali" and repeated scammers stand out. Never shown to users as a verdict.

Identifiers are read from what the bot collected (the report's fields, the first message, later additions).
Phone and account numbers are kept only as a keyed hash (knowledge/pseudonyms.py) with their last digits
(the transcript already holds the number; this table must not copy it); agency names are kept as written.
Indexing runs on the help desk's side, for escalations changed since they were last indexed: a bug here can
never cost a report. A hash starts with a tag of the key that made it: links made under another key (or
before keys, as plain SHA-256) are found by that tag and their reports indexed again.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass

import phonenumbers
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from knowledge.language.companies import company_mentions, find_license_numbers, normalize_license, normalize_name
from knowledge.language.privacy import find_personal_numbers
from knowledge.models import Escalation, utcnow
from knowledge.pseudonyms import digest, hash_key
from knowledge.settings import get_settings
from knowledge.staff.models import EscalationLink

log = logging.getLogger(__name__)

KIND_LABELS = {"agency": "PT/agen", "license": "nomor izin", "phone": "nomor telepon", "account": "nomor rekening"}


@dataclass(frozen=True)
class Identifier:
    """One thing a report points at."""

    kind: str
    key: str
    label: str


@dataclass(frozen=True)
class LinkGroup:
    """Reports sharing one identifier with a given report: how many in all, and the other ones' ids."""

    kind: str
    label: str
    count: int
    others: tuple[int, ...]


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for v in value.values() for t in _texts(v)]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


def _company_label(name: str) -> str:
    """'pt sinar jaya' -> 'PT Sinar Jaya' (legal forms in capitals)."""
    return " ".join(w.upper() if w in ("pt", "cv", "lpk", "tbk") else w.capitalize() for w in name.split())


HASHED_KINDS = ("phone", "account")
_current: set[tuple[str, str]] = set()  # (database, key tag) whose links were checked in this process


def _key(session: Session) -> bytes:
    return hash_key(session, get_settings().hash_key)


def _tag(key: bytes) -> str:
    """A short, public tag of the key (not the key): which key a stored hash was made with."""
    return "k" + digest(key, "escalation_links", kind="tag", size=6) + ":"


def _digest(key: bytes, kind: str, value: str) -> str:
    return _tag(key) + digest(key, value, kind=kind, size=40)


def identifiers(details: dict, key: bytes) -> set[Identifier]:
    """The agencies, licence numbers, phone numbers and bank accounts named in an escalation's details
    (numbers as keyed hashes under `key`)."""
    found: set[Identifier] = set()
    for text in _texts(details):
        text = text[:4000]
        licences = find_license_numbers(text)
        for licence in licences:
            found.add(Identifier("license", normalize_license(licence)[:120], licence.strip()[:120]))
            text = text.replace(licence, " ")  # "KEP.771/PPTKIS/III/2020" names no company "III"
        for name, taken_back in company_mentions(text):
            norm = normalize_name(name)
            if not taken_back and len(norm) >= 3:
                found.add(Identifier("agency", norm[:120], _company_label(name)))
        for p in find_personal_numbers(text):
            raw = text[p.start : p.end]
            digits = "".join(ch for ch in raw if ch.isdigit())
            if p.kind == "phone":
                try:
                    number = phonenumbers.format_number(
                        phonenumbers.parse(raw, "ID"), phonenumbers.PhoneNumberFormat.E164
                    )
                except phonenumbers.NumberParseException:
                    number = digits
                found.add(Identifier("phone", _digest(key, "phone", number), f"berakhiran {digits[-3:]}"))
            elif p.kind == "number":  # a bank account or card (NIKs and passports are the user's own)
                found.add(Identifier("account", _digest(key, "account", digits), f"berakhiran {digits[-3:]}"))
    return found


def index_escalation(session: Session, esc: Escalation) -> None:
    """(Re)write one escalation's identifiers. Flushes."""
    wanted = identifiers(dict(esc.details or {}), _key(session))
    session.execute(delete(EscalationLink).where(EscalationLink.escalation_id == esc.id))
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    for ident in wanted:  # another process indexing the same report at once inserts the same rows
        session.execute(
            insert(EscalationLink)
            .values(escalation_id=esc.id, kind=ident.kind, key=ident.key, label=ident.label[:200])
            .on_conflict_do_nothing()
        )
    esc.links_indexed_at = utcnow()
    session.flush()


def index_stale(session: Session, *, limit: int = 200) -> int:
    """Index escalations that are new or changed since they were last indexed; returns how many. Flushes."""
    _forget_other_keys(session)
    stale = list(
        session.scalars(
            select(Escalation)
            .where(or_(Escalation.links_indexed_at.is_(None), Escalation.links_indexed_at < Escalation.updated_at))
            .order_by(Escalation.id)
            .limit(limit)
        )
    )
    for esc in stale:
        index_escalation(session, esc)
    return len(stale)


def _forget_other_keys(session: Session) -> None:
    """Once per process and database: reports whose number hashes were made with another key (or unkeyed,
    before 0004) are marked for indexing again, so the index keeps linking the same numbers. Flushes."""
    tag = _tag(_key(session))
    done = (session.get_bind().engine.url.render_as_string(hide_password=True), tag)
    if done in _current:
        return
    others = select(EscalationLink.escalation_id).where(
        EscalationLink.kind.in_(HASHED_KINDS), ~EscalationLink.key.startswith(tag, autoescape=True)
    )
    session.execute(
        update(Escalation).where(Escalation.id.in_(others)).values(links_indexed_at=None),
        execution_options={"synchronize_session": False},
    )
    session.flush()
    _current.add(done)


def linked(session: Session, escalation_id: int) -> list[LinkGroup]:
    """For one escalation: each identifier it shares with other reports, most reported first."""
    mine = aliased(EscalationLink)
    other = aliased(EscalationLink)
    rows = session.execute(
        select(mine.kind, mine.label, other.escalation_id)
        .join(other, (other.kind == mine.kind) & (other.key == mine.key))
        .where(mine.escalation_id == escalation_id, other.escalation_id != escalation_id)
        .order_by(other.escalation_id)
    )
    groups: dict[tuple[str, str], list[int]] = defaultdict(list)
    for kind, label, other_id in rows:
        groups[(kind, label)].append(other_id)
    return sorted(
        (LinkGroup(kind, label, len(ids) + 1, tuple(ids)) for (kind, label), ids in groups.items()),
        key=lambda g: (-g.count, g.kind, g.label),
    )


def report_counts(session: Session, escalation_ids: list[int]) -> dict[int, int]:
    """For each escalation that shares an identifier with another report: the most reports one of its
    identifiers appears in (escalations missing from the result were reported once)."""
    if not escalation_ids:
        return {}
    repeated = (
        select(
            EscalationLink.kind, EscalationLink.key, func.count(func.distinct(EscalationLink.escalation_id)).label("n")
        )
        .group_by(EscalationLink.kind, EscalationLink.key)
        .having(func.count(func.distinct(EscalationLink.escalation_id)) > 1)
        .subquery()
    )
    rows = session.execute(
        select(EscalationLink.escalation_id, func.max(repeated.c.n))
        .join(repeated, (repeated.c.kind == EscalationLink.kind) & (repeated.c.key == EscalationLink.key))
        .where(EscalationLink.escalation_id.in_(escalation_ids))
        .group_by(EscalationLink.escalation_id)
    )
    return {int(esc_id): int(n) for esc_id, n in rows}
