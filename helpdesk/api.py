"""GET /api/escalations and /api/escalations/{id} (CONTRACTS.md), staff only."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Depends, HTTPException, Query, Request

from helpdesk.auth import require_staff
from knowledge.escalations.store import get_escalation, list_escalations
from knowledge.models import EscalationStatus

router = APIRouter(prefix="/api/escalations")


@router.get("")
async def escalations(
    request: Request, status: str | None = Query(default=None), _staff: str = Depends(require_staff)
) -> list[dict]:
    """The queue, most urgent first; `status` filters (open, assigned, resolved)."""
    allowed = {s.value for s in EscalationStatus}
    if status is not None and status not in allowed:
        raise HTTPException(status_code=422, detail=f"status must be one of {sorted(allowed)}")
    sessions = request.app.state.sessions

    def read() -> list[dict]:
        with sessions() as session:
            return [e.as_dict() for e in list_escalations(session, status=status)]

    return await anyio.to_thread.run_sync(read)


@router.get("/{escalation_id}")
async def escalation(request: Request, escalation_id: int, _staff: str = Depends(require_staff)) -> dict:
    """One escalation with what was collected and the whole transcript."""
    sessions = request.app.state.sessions

    def read() -> dict | None:
        with sessions() as session:
            found = get_escalation(session, escalation_id)
            return found.as_dict() if found else None

    found = await anyio.to_thread.run_sync(read)
    if found is None:
        raise HTTPException(status_code=404, detail="no such escalation")
    return found
