"""A fake WhatsApp Cloud API (Graph API): POST `{base}/{version}/{phone_number_id}/messages`, plus the
webhook bodies and signatures Meta would send to the gateway."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from itertools import count

from tests.support.fakeapi import Call, FakeAPI, Rule

PHONE_NUMBER_ID = "109876543210"
TOKEN = "EAAGfakeWhatsAppTokenForTests"
APP_SECRET = "uji-app-secret"
VERIFY_TOKEN = "uji-verify-token"
VERSION = "v21.0"
SEND = "messages"


class FakeWhatsApp(FakeAPI):
    """Records sends; checks the bearer token; can fail with 500, 429, a hang, or 'outside the 24-hour window'."""

    def __init__(self) -> None:
        super().__init__()
        self._ids = count(1)

    @property
    def api_url(self) -> str:
        """The value for WHATSAPP_API_URL."""
        return f"{self.base}/{VERSION}"

    def route(self, verb: str, path: str, params: dict, headers: dict) -> tuple[str, int | None, object]:
        """Only POST /<version>/<our phone number id>/messages with our bearer token."""
        parts = path.strip("/").split("/")
        if verb != "POST" or len(parts) != 3 or parts[1] != PHONE_NUMBER_ID or parts[2] != SEND:
            return "", None, None
        if headers.get("Authorization") != f"Bearer {TOKEN}":
            return (
                SEND,
                401,
                {"error": {"message": "Invalid OAuth access token", "type": "OAuthException", "code": 190}},
            )
        return SEND, 200, None

    def respond(self, method: str, params: dict) -> object:
        """The Graph API's answer to an accepted message."""
        return {
            "messaging_product": "whatsapp",
            "contacts": [{"input": params.get("to"), "wa_id": params.get("to")}],
            "messages": [{"id": f"wamid.UJI{next(self._ids):06d}"}],
        }

    def failure(self, rule: Rule) -> tuple[int, object]:
        """500, 429 (throughput), 'window' (re-engagement: more than 24 hours since the user wrote)."""
        if rule.mode == "429":
            return 429, {"error": {"message": "Rate limit hit", "code": 130429}}
        if rule.mode == "window":
            return 400, {"error": {"message": "Re-engagement message", "code": 131047}}
        return 500, {"error": {"message": "An unknown error occurred", "code": 131000}}

    def sent(self, to: str | None = None) -> list[Call]:
        """Messages the fake accepted, optionally to one user."""
        return [c for c in self.calls if c.method == SEND and c.status == 200 and (to is None or c.params["to"] == to)]

    def wait_sent(self, to: str, n: int, timeout: float = 60.0) -> list[Call]:
        """Block until `n` messages to this user were accepted; returns them."""
        self.wait_for(lambda _calls: len(self.sent(to)) >= n, timeout)
        return self.sent(to)

    def message_id_of(self, call: Call) -> str:
        """The wamid the fake gave an accepted call (its position among accepted sends)."""
        return f"wamid.UJI{[c for c in self.calls if c.status == 200].index(call) + 1:06d}"


def text_of(call: Call) -> str:
    """The visible text of one sent message (text body or interactive body)."""
    p = call.params
    return p["text"]["body"] if p["type"] == "text" else p["interactive"]["body"]["text"]


_ids = count(1)


def webhook(messages: list[dict] | None = None, statuses: list[dict] | None = None) -> dict:
    """A webhook body as Meta sends it."""
    value: dict = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": "6281100000000", "phone_number_id": PHONE_NUMBER_ID},
    }
    if messages:
        value["contacts"] = [{"profile": {"name": "Uji"}, "wa_id": m["from"]} for m in messages]
        value["messages"] = messages
    if statuses:
        value["statuses"] = statuses
    return {
        "object": "whatsapp_business_account",
        "entry": [{"id": "WABA1", "changes": [{"field": "messages", "value": value}]}],
    }


def message(
    user: str, kind: str = "text", *, msg_id: str | None = None, at: int | None = None, **content: object
) -> dict:
    """One inbound message: message(u, text="halo"), message(u, "image"), message(u, "interactive", id="/x")."""
    body: dict = {
        "from": user,
        "id": msg_id or f"wamid.IN{next(_ids):06d}{int(time.time() * 1000) % 100000}",
        "timestamp": str(at or int(time.time())),
        "type": kind,
    }
    if kind == "text":
        body["text"] = {"body": content["text"]}
    elif kind == "interactive":
        reply = "list_reply" if content.get("list") else "button_reply"
        body["interactive"] = {"type": reply, reply: {"id": content["id"], "title": content.get("title", "x")}}
    elif kind == "reaction":
        body["reaction"] = {"message_id": "wamid.X", "emoji": "👍"}
    else:
        body[kind] = (
            {"id": "media1", "mime_type": "image/jpeg"} if kind != "location" else {"latitude": 0, "longitude": 0}
        )
    return body


def status(wamid: str, state: str, user: str, *, error_code: int | None = None) -> dict:
    """A delivery receipt."""
    body: dict = {"id": wamid, "status": state, "timestamp": str(int(time.time())), "recipient_id": user}
    if error_code is not None:
        body["errors"] = [{"code": error_code, "title": "Message failed"}]
    return body


def signed(body: dict, secret: str = APP_SECRET) -> tuple[bytes, dict]:
    """The raw body and the X-Hub-Signature-256 header Meta would send with it."""
    raw = json.dumps(body).encode()
    signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Hub-Signature-256": signature, "Content-Type": "application/json"}
