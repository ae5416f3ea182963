"""GET /api/outbox/undelivered: messages that could not reach their user, for staff (HTTP Basic): numbers
masked as everywhere staff read (a WhatsApp id is a phone number), and every read in the audit log."""

from __future__ import annotations

import anyio.to_thread
from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse

from helpdesk.api_docs import documented
from helpdesk.auth import authenticate
from knowledge.delivery.outbox import undelivered
from knowledge.escalations.shown import shown_user_id
from knowledge.language.privacy import mask_pii, staff_view
from knowledge.staff import audit

router = APIRouter(prefix="/api/outbox")


@router.get("/undelivered", **documented({"type": "array", "items": {"type": "object"}}, 401, 422, 429))
async def undelivered_messages(request: Request, limit: int = Query(default=100, ge=1, le=500)) -> JSONResponse:
    """Refused, blocked or outside WhatsApp's 24-hour window, newest first, with the reason."""
    staff = await authenticate(request)
    if isinstance(staff, JSONResponse):
        return staff
    sessions = request.app.state.sessions

    def read() -> list[dict]:
        with sessions() as session, session.begin():
            lines = undelivered(session, limit=limit)
            audit.record(session, staff.username, "outbox_read", lines=len(lines))
            return [
                {
                    "id": line.id,
                    "channel": line.channel,
                    "user_id": shown_user_id(line.channel, line.user_id),
                    "sender": line.sender,
                    "text": staff_view(line.text),
                    "reason": line.reason,
                    "error": mask_pii(line.error),
                    "created_at": line.created_at.isoformat(),
                }
                for line in lines
            ]

    return JSONResponse(await anyio.to_thread.run_sync(read))
