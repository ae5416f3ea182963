"""A fake Telegram Bot API: `{base}/bot{token}/{method}` like api.telegram.org, for tests and benchmarks."""

from __future__ import annotations

import threading
import time
from itertools import count

from tests.support.fakeapi import Call, FakeAPI, Rule

BOT_ID = 7000001
TOKEN = f"{BOT_ID}:AAUjiFakeTokenForTests"
USERNAME = "tanyakerja_uji_bot"
SEND = "sendMessage"


class FakeTelegram(FakeAPI):
    """Records calls; serves getMe, sendMessage, answerCallbackQuery, setWebhook, deleteWebhook, getUpdates."""

    def __init__(self, token: str = TOKEN) -> None:
        super().__init__()
        self.token = token
        self._message_ids = count(1)
        self._updates: list[dict] = []
        self._new_update = threading.Condition()

    def route(self, verb: str, path: str, params: dict, headers: dict) -> tuple[str, int | None, object]:
        """Only /bot<token>/<method>; a wrong token gets 401 like the real API."""
        parts = path.strip("/").split("/")
        if len(parts) != 2 or not parts[0].startswith("bot"):
            return "", None, None
        method = parts[1]
        if parts[0][3:] != self.token:
            return method, 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        return method, 200, None

    def respond(self, method: str, params: dict) -> object:
        """Success answers shaped like the Bot API's."""
        if method == "getMe":
            result: object = {"id": BOT_ID, "is_bot": True, "first_name": "TanyaKerja Uji", "username": USERNAME}
        elif method == SEND:
            result = {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": {"id": int(params["chat_id"]), "type": "private"},
                "text": params.get("text", ""),
            }
        elif method == "getUpdates":
            result = self._take_updates(params)
        else:  # answerCallbackQuery, setWebhook, deleteWebhook ...
            result = True
        return {"ok": True, "result": result}

    def failure(self, rule: Rule) -> tuple[int, object]:
        """500, 429 with retry_after, 403 blocked."""
        if rule.mode == "429":
            return 429, {
                "ok": False,
                "error_code": 429,
                "description": f"Too Many Requests: retry after {rule.retry_after}",
                "parameters": {"retry_after": rule.retry_after},
            }
        if rule.mode == "403":
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        return 500, {"ok": False, "error_code": 500, "description": "Internal Server Error"}

    # --- polling -------------------------------------------------------------------------------------
    def push_update(self, update: dict) -> None:
        """Queue an update for getUpdates (polling mode)."""
        with self._new_update:
            self._updates.append(update)
            self._new_update.notify_all()

    def _take_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), 2.0)  # short long-polls keep tests quick
        with self._new_update:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]  # offset confirms older ones
            if not self._updates:
                self._new_update.wait(wait)
            return list(self._updates)

    # --- what tests read -----------------------------------------------------------------------------
    def sent(self, chat_id: int | str | None = None) -> list[Call]:
        """Messages the fake accepted (HTTP 200), optionally to one chat."""
        return [
            c
            for c in self.calls
            if c.method == SEND and c.status == 200 and (chat_id is None or str(c.params["chat_id"]) == str(chat_id))
        ]

    def wait_sent(self, chat_id: int | str, n: int, timeout: float = 60.0) -> list[Call]:
        """Block until `n` messages to this chat were accepted; returns them."""
        self.wait_for(lambda _calls: len(self.sent(chat_id)) >= n, timeout)
        return self.sent(chat_id)


def text_update(update_id: int, chat_id: int, text: str, *, edited: bool = False, chat_type: str = "private") -> dict:
    """A Bot API update carrying a text message (or an edited one)."""
    message = {
        "message_id": update_id,
        "date": int(time.time()),
        "chat": {"id": chat_id, "type": chat_type, **({"title": "Grup Uji"} if chat_type != "private" else {})},
        "from": {"id": abs(chat_id), "is_bot": False, "first_name": "Uji"},
        "text": text,
    }
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if edited:
        message["edit_date"] = int(time.time())
    return {"update_id": update_id, "edited_message" if edited else "message": message}


def sticker_update(update_id: int, chat_id: int) -> dict:
    """An update carrying a sticker (non-text)."""
    update = text_update(update_id, chat_id, "x")
    del update["message"]["text"]
    update["message"]["sticker"] = {
        "file_id": "CAACAgIAAx",
        "file_unique_id": "AgAD",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
    }
    return update


def photo_update(update_id: int, chat_id: int) -> dict:
    """An update carrying a photo (non-text)."""
    update = text_update(update_id, chat_id, "x")
    del update["message"]["text"]
    update["message"]["photo"] = [{"file_id": "AgACAgIAAx", "file_unique_id": "AQAD", "width": 90, "height": 90}]
    return update


def callback_update(update_id: int, chat_id: int, data: str) -> dict:
    """A pressed inline-keyboard button."""
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "chat_instance": "ci1",
            "from": {"id": chat_id, "is_bot": False, "first_name": "Uji"},
            "data": data,
            "message": {
                "message_id": 1,
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "TanyaKerja Uji"},
                "text": "pilihan",
            },
        },
    }


def blocked_update(update_id: int, chat_id: int, status: str = "kicked") -> dict:
    """my_chat_member: the user blocked ('kicked') or unblocked ('member') the bot."""
    user = {"id": chat_id, "is_bot": False, "first_name": "Uji"}
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "TanyaKerja Uji"}
    return {
        "update_id": update_id,
        "my_chat_member": {
            "chat": {"id": chat_id, "type": "private"},
            "from": user,
            "date": int(time.time()),
            "old_chat_member": {"status": "member", "user": bot},
            "new_chat_member": {"status": status, "user": bot, **({"until_date": 0} if status == "kicked" else {})},
        },
    }
