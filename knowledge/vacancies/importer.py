"""`tanyakerja import vacancies`: load a vacancy feed into the integrated vacancy database.

Idempotent on (source, source_id); one transaction; every bad line reported. Places are resolved to
the region gazetteer; what cannot be resolved is kept as written and counted. The same vacancy arriving
from several sources (employer, title and place spelled differently) gets one `group_key`.
"""

from __future__ import annotations

from pathlib import Path
from typing import cast

from sqlalchemy import Table, delete, insert, select, text, update
from sqlalchemy.orm import Session

from knowledge.importing import (
    ImportSummary,
    collect,
    delete_count,
    record_import,
)
from knowledge.models import Vacancy, VacancyTerm, utcnow
from knowledge.places.scopes import Place, overseas_scope
from knowledge.vacancies.feed import CANONICAL_MAPPING, load_mapping, read_feed
from knowledge.vacancies.grouping import Groups
from knowledge.vacancies.rows import VacancyRow, parse_vacancy_row
from knowledge.vacancies.terms import NO_END, NO_START, VACANCY_DATASET, terms_for

# Core tables for plain executemany inserts (no ORM overhead).
VACANCIES = cast(Table, Vacancy.__table__)
VACANCY_TERMS = cast(Table, VacancyTerm.__table__)
# Rows per insert batch (and per id lookup: stays under SQLite's bound-parameter limit).
_BATCH = 900


def import_vacancies(
    session: Session, path: Path, *, mapping_path: Path | None = None, skip_invalid: bool = False, demo: bool = False
) -> ImportSummary:
    """Validate the whole feed, then upsert it in the caller's transaction (see module docstring)."""
    mapping = load_mapping(mapping_path) if mapping_path else CANONICAL_MAPPING
    summary = ImportSummary()
    parsed = collect(
        read_feed(path, mapping),
        lambda r: parse_vacancy_row(r, mapping.date_format),
        skip_invalid=skip_invalid,
        summary=summary,
    )
    rows = _last_per_id(parsed, summary)
    if not demo:
        removed = delete_count(session, delete(Vacancy).where(Vacancy.is_demo.is_(True)))
        if removed:
            session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id.not_in(select(Vacancy.id))))
            summary.notes.append(f"demo vacancies removed ({removed} rows)")
    _store(session, rows, summary, demo=demo)
    unresolved = sum(1 for r in rows if not r.country and r.region_code is None)
    summary.notes.append(f"places not resolved (kept as written): {unresolved}")
    session.flush()
    record_import(session, VACANCY_DATASET, path, demo=demo)
    # Fresh planner statistics: without them SQLite walks a whole term in date order instead of using
    # the (term, place) index, ~15x slower on a million vacancies.
    session.execute(text("ANALYZE vacancy_terms"))
    session.execute(text("ANALYZE vacancies"))
    return summary


def _last_per_id(parsed: list[tuple[int, object]], summary: ImportSummary) -> list[VacancyRow]:
    """A feed may repeat a record (a later line updates an earlier one); the last one counts."""
    latest: dict[tuple[str, str], VacancyRow] = {}
    for _, row in parsed:
        assert isinstance(row, VacancyRow)
        key = (row.source, row.source_id)
        if key in latest:
            summary.notes.append(f"repeated id {row.source}/{row.source_id}: last line kept")
        latest[key] = row
    return list(latest.values())


def _store(session: Session, rows: list[VacancyRow], summary: ImportSummary, *, demo: bool) -> None:
    now = utcnow()
    sources = sorted({r.source for r in rows})
    existing: dict[tuple[str, str], tuple[int, str, str]] = {}
    groups = Groups()
    for vid, source, source_id, chash, gkey in session.execute(
        select(Vacancy.id, Vacancy.source, Vacancy.source_id, Vacancy.content_hash, Vacancy.group_key)
    ):
        groups.add(gkey)
        if source in sources:
            existing[(source, source_id)] = (vid, chash, gkey)
    group_sources = _group_sources(session)
    new_rows: list[tuple[dict, set[str]]] = []
    changed: list[tuple[int, dict, set[str]]] = []
    seen_ids: list[int] = []
    duplicates = 0
    for row in rows:
        values = row.values()
        chash = row.content_hash()
        current = existing.get((row.source, row.source_id))
        if current and current[1] == chash:
            summary.unchanged += 1
            seen_ids.append(current[0])
            continue
        gkey = groups.key_for(row)
        if group_sources.get(gkey, {row.source}) - {row.source}:
            duplicates += 1
        group_sources.setdefault(gkey, set()).add(row.source)
        values.update(group_key=gkey, content_hash=chash, last_seen=now, is_demo=demo)
        if current:
            changed.append((current[0], values, terms_for(row)))
        else:
            values["first_seen"] = now
            new_rows.append((values, terms_for(row)))
    _insert(session, new_rows)
    _update(session, changed)
    for start in range(0, len(seen_ids), 900):
        session.execute(update(Vacancy).where(Vacancy.id.in_(seen_ids[start : start + 900])).values(last_seen=now))
    summary.added += len(new_rows)
    summary.updated += len(changed)
    summary.notes.append(f"same vacancy already from another source: {duplicates}")


def _group_sources(session: Session) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for gkey, source in session.execute(select(Vacancy.group_key, Vacancy.source).distinct()):
        out.setdefault(gkey, set()).add(source)
    return out


def _term_rows(vacancy_id: int, values: dict, terms: set[str]) -> list[dict]:
    scope = _scope(values)
    expires = values["expires_at"] or NO_END
    posted = values["posted_at"] or NO_START
    return [
        {"term": t, "vacancy_id": vacancy_id, "scope": scope, "expires_at": expires, "posted_at": posted} for t in terms
    ]


def _scope(values: dict) -> str:
    if values["country"]:
        return overseas_scope(values["country"])
    return Place(values["region_code"], values["province_code"]).scope


def _insert(session: Session, new_rows: list[tuple[dict, set[str]]]) -> None:
    """Plain executemany inserts (fast on every database), then the new ids looked up by source id."""
    for start in range(0, len(new_rows), _BATCH):
        batch = new_rows[start : start + _BATCH]
        session.execute(insert(VACANCIES), [values for values, _ in batch])  # Core: no ORM overhead
        ids: dict[tuple[str, str], int] = {}
        for source in {values["source"] for values, _ in batch}:
            wanted = [values["source_id"] for values, _ in batch if values["source"] == source]
            ids.update(
                ((source, sid), vid)
                for vid, sid in session.execute(
                    select(Vacancy.id, Vacancy.source_id).where(Vacancy.source == source, Vacancy.source_id.in_(wanted))
                )
            )
        term_rows = [
            t
            for values, terms in batch
            for t in _term_rows(ids[(values["source"], values["source_id"])], values, terms)
        ]
        if term_rows:
            session.execute(insert(VACANCY_TERMS), term_rows)


def _update(session: Session, changed: list[tuple[int, dict, set[str]]]) -> None:
    if not changed:
        return
    ids = [vid for vid, _, _ in changed]
    for start in range(0, len(ids), 900):
        session.execute(delete(VacancyTerm).where(VacancyTerm.vacancy_id.in_(ids[start : start + 900])))
    session.execute(update(Vacancy), [{"id": vid, **values} for vid, values, _ in changed])
    term_rows = [t for vid, values, terms in changed for t in _term_rows(vid, values, terms)]
    for start in range(0, len(term_rows), _BATCH):
        session.execute(insert(VACANCY_TERMS), term_rows[start : start + _BATCH])
