"""Telegram updates -> what the gateway does with them: a message for the router, a note to a group, a
blocked or unblocked user, or nothing. Pure functions over PTB's parsed `Update`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from telegram import Message, Update
from telegram.constants import ChatMemberStatus, ChatType

from bot.types import Incoming
from knowledge.storable import storable_text

CHANNEL = "telegram"
ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]
# Commands Telegram clients offer, mapped to what Rasa understands (passed on as trusted commands).
COMMANDS = {"/start": "/greet", "/help": "/ask_help", "/menu": "/ask_help", "/bantuan": "/ask_help"}
NON_TEXT = (
    "sticker",
    "photo",
    "voice",
    "audio",
    "video",
    "video_note",
    "animation",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "story",
)

Action = Literal["route", "group_notice", "blocked", "unblocked", "ignore"]


@dataclass(frozen=True)
class Decision:
    """What to do with one update."""

    action: Action
    chat_id: str = ""
    incoming: Incoming | None = None
    callback_id: str | None = None  # a pressed button to acknowledge (answerCallbackQuery)
    callback_data: str | None = None  # the pressed button's data, before a short key is looked up


def chat_key(update: dict) -> str:
    """The chat an update belongs to (for per-chat order), from the raw JSON; '0' when it has none."""
    for field in ("message", "edited_message", "my_chat_member", "channel_post", "edited_channel_post"):
        chat = (update.get(field) or {}).get("chat") or {}
        if "id" in chat:
            return str(chat["id"])
    query = update.get("callback_query") or {}
    chat = (query.get("message") or {}).get("chat") or {}
    if "id" in chat:
        return str(chat["id"])
    return str((query.get("from") or {}).get("id", "0"))


def command_of(text: str) -> str | None:
    """'/start', '/start@TanyaKerjaBot', '/start promo' -> '/start' (None when the text is not a command)."""
    if not text.startswith("/"):
        return None
    return text.split(maxsplit=1)[0].split("@", 1)[0].lower()


def decide(update: Update, *, external_id: str, bot_id: int, username: str | None) -> Decision:
    """The decision for one parsed update."""
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat if query.message is not None else None
        if chat is not None and chat.type != ChatType.PRIVATE:
            return Decision("ignore", callback_id=query.id)
        chat_id = str(chat.id if chat is not None else query.from_user.id)
        data = storable_text(query.data or "")  # looked up in the database: no NUL (PostgreSQL refuses it)
        return Decision("route", chat_id, callback_id=query.id, callback_data=data)
    message = update.message or update.edited_message
    if message is not None:
        return _message(message, external_id=external_id, bot_id=bot_id, username=username)
    member = update.my_chat_member
    if member is not None and member.chat.type == ChatType.PRIVATE:
        status = member.new_chat_member.status
        if status in (ChatMemberStatus.BANNED, ChatMemberStatus.LEFT):
            return Decision("blocked", str(member.chat.id))
        if status == ChatMemberStatus.MEMBER:
            return Decision("unblocked", str(member.chat.id))
    return Decision("ignore")


def _message(message: Message, *, external_id: str, bot_id: int, username: str | None) -> Decision:
    chat_id = str(message.chat.id)
    if message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP):
        return Decision("group_notice", chat_id) if addressed(message, bot_id, username) else Decision("ignore")
    if message.chat.type != ChatType.PRIVATE:
        return Decision("ignore")
    if message.text is not None:
        command = command_of(message.text)
        if command in COMMANDS:
            incoming = Incoming(CHANNEL, chat_id, COMMANDS[command], external_id=external_id, trusted_command=True)
        else:
            incoming = Incoming(CHANNEL, chat_id, message.text, external_id=external_id)
        return Decision("route", chat_id, incoming)
    kind = next((k for k in NON_TEXT if getattr(message, k, None)), None)
    if kind is None:  # service messages (pinned, chat photo changed ...) need no answer
        return Decision("ignore")
    return Decision(
        "route", chat_id, Incoming(CHANNEL, chat_id, kind="non_text", external_id=external_id, meta={"type": kind})
    )


def addressed(message: Message, bot_id: int, username: str | None) -> bool:
    """In a group: a reply to the bot, a mention of it, or one of our commands."""
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    text = message.text or message.caption or ""
    if username and f"@{username.lower()}" in text.lower():
        return True
    return command_of(text) in COMMANDS and "@" not in text.split(maxsplit=1)[0]
