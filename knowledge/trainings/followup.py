"""Questions about the training programmes just listed ("daftarnya gimana?", "bayar gak?", "kapan mulai?"),
answered from the same page of results (not with migrant-worker requirements)."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from knowledge.answers import Answer, load_copy, rupiah
from knowledge.language.dates import format_date_id
from knowledge.language.text import fold
from knowledge.requests import ANYWHERE, mentioned_items, regions_of, remembered_request
from knowledge.trainings.search import TrainingHit, TrainingQuery, search_trainings
from knowledge.turns import Turn

FEATURE = "training"
TOPICS = (
    ("quota", re.compile(r"\b(kuota\w*|peserta\w*|(brp|berapa) (org|orang))\b")),
    (
        "apply",
        re.compile(
            r"\b(daftar\w*|mendaftar|syarat\w*|link\w*|tautan|caranya|cara ikut|ikut\w*|gabung|"
            r"umur|usia|lulusan)\b"
        ),
    ),
    ("fee", re.compile(r"\b(biaya\w*|bayar\w*|gratis|harga\w*|ongkos|free)\b")),
    ("schedule", re.compile(r"\b(kapan|jadwal\w*|mulai\w*|tanggal\w*|berapa lama|lama\w*|selesai\w*)\b")),
    ("place", re.compile(r"\b(alamat\w*|lokasi\w*|tempat\w*|dimana|di mana)\b")),
)


def topic_of(text: str) -> str | None:
    """Which detail of the listed programmes a message asks about, or None."""
    folded = fold(text)
    return next((name for name, pattern in TOPICS if pattern.search(folded)), None)


def _hits(session: Session, turn: Turn) -> list[TrainingHit]:
    request = remembered_request(turn)
    regions = regions_of(request.location)
    if regions is None:
        return []
    field = "" if request.job == ANYWHERE else request.job
    return list(
        search_trainings(
            session, TrainingQuery(field=field, regions=regions), page=int(turn.slot("vacancy_page") or 0)
        ).hits
    )


def answer_about_list(session: Session, turn: Turn) -> Answer | None:
    """The asked detail of each programme on the page just shown, or None when it is not such a question."""
    topic = topic_of(turn.typed)
    hits = _hits(session, turn) if topic else []
    if not hits:
        return None
    copy = load_copy(FEATURE)
    first = int(turn.slot("vacancy_page") or 0) * 5 + 1

    def value(hit: TrainingHit) -> str:
        if topic == "fee":
            fee = copy["item_free"] if hit.fee == 0 else copy["item_fee"].format(fee=rupiah(hit.fee))
            return f"{hit.provider}: {fee}"
        if topic == "quota":
            return copy["about_quota_value"].format(n=hit.quota) if hit.quota else copy["about_unknown"]
        if topic == "schedule":
            start = format_date_id(hit.start_date) if hit.start_date else copy["about_unknown"]
            end = format_date_id(hit.end_date) if hit.end_date else copy["about_unknown"]
            return f"{start} – {end}"
        if topic == "place":
            return f"{hit.provider}, {hit.place}"
        return f"{hit.provider}: {hit.url}" if hit.url else hit.provider

    picked = mentioned_items([f"{h.title} {h.provider} {h.place} {h.field}" for h in hits], turn.typed)
    if topic == "fee" and _FREE_ONLY.search(fold(turn.typed)) and any(hits[i].fee == 0 for i in picked):
        picked = [i for i in picked if hits[i].fee == 0]  # "yg gratis aja", "yg gratis yg mana?"
    lines = [copy["about_item"].format(n=first + i, title=hits[i].title, value=value(hits[i])) for i in picked]
    return Answer("\n".join([copy[f"about_{topic}"], *lines]))


_FREE_ONLY = re.compile(r"\b(yg|yang) (gratis|free)\b|\bgratis (aja|saja|yg mana|yang mana)\b")
