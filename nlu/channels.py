"""Rasa's REST channel behind a token: only the gateway, which sends RASA_TOKEN, may post turns.

Rasa's built-in `rest` channel answers anyone who reaches the Rasa port, so a caller could talk to the bot
past the gateway's limits, transcript and handoffs. This channel keeps the same URL
(/webhooks/rest/webhook) and the same answers, and refuses (401) every request without
`Authorization: Bearer <RASA_TOKEN>`. credentials.yml names it instead of `rest`.
"""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

BEARER = "bearer "


def token_matches(header: str | None, token: str) -> bool:
    """The Authorization header carries exactly this token (compared in constant time)."""
    if not header or header[: len(BEARER)].lower() != BEARER:
        return False
    return hmac.compare_digest(header[len(BEARER) :].strip().encode(), token.encode())


class TokenRestInput(RestInput):
    """The REST channel (same name, same URL), answering only requests that carry the token."""

    def __init__(self, token: str) -> None:
        if not token:
            raise ValueError("the REST channel needs a token: set RASA_TOKEN (credentials.yml)")
        super().__init__()
        self._token = token

    @classmethod
    def name(cls) -> str:
        """`rest`: the URL stays /webhooks/rest/webhook and trackers keep the input channel `rest`."""
        return "rest"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TokenRestInput:
        """credentials.yml: `token: ${RASA_TOKEN}` (Rasa refuses to start when the variable is unset)."""
        return cls(str((credentials or {}).get("token") or ""))

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        """Rasa's REST routes, with every request checked before Rasa reads it."""
        bp = super().blueprint(on_new_message)

        @bp.middleware("request")
        async def require_token(request: Request) -> HTTPResponse | None:
            if token_matches(request.headers.get("authorization"), self._token):
                return None
            return response.json({"error": "unauthorized"}, status=401, headers={"WWW-Authenticate": "Bearer"})

        return bp
