"""Staff marking an escalation as spam: it is closed (outcome "spam") and, from then on, new escalations of
the same user or from the same web-chat address are queued last and flagged (knowledge/escalations/abuse.py),
never dropped. The mark can be taken back. The caller owns the transaction."""

from __future__ import annotations

from sqlalchemy.orm import Session

from knowledge.escalations.handoff import RESOLVED, Change, NotFound, close
from knowledge.escalations.store import summary_of
from knowledge.models import Escalation, utcnow

SPAM = "spam"


def mark_spam(session: Session, escalation_id: int, staff: str, *, spam: bool = True, admin: bool = False) -> Change:
    """Mark (or unmark) as spam. Marking an open or assigned one closes it like `close` (HeldByOther when
    another staff member holds it, unless admin); a closed one gets the mark and the outcome "spam".
    Unmarking only takes the mark back: the escalation stays closed."""
    esc = session.get(Escalation, escalation_id, populate_existing=True)
    if esc is None:
        raise NotFound("laporan tidak ditemukan")
    if bool(esc.spam) == spam:
        return Change(summary_of(esc), changed=False)
    notice = None
    if spam and esc.status != RESOLVED:
        notice = close(session, escalation_id, staff, SPAM, admin=admin).notice
    esc.spam = spam
    if spam:
        esc.outcome = SPAM
    esc.updated_at = utcnow()
    session.flush()
    return Change(summary_of(esc), changed=True, notice=notice)
