"""One router for every channel: de-duplicate, record, sanity-check, rate-limit, ask Rasa, record the answer."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

import anyio.to_thread

from bot.rasa_client import RasaClient, RasaUnavailable
from bot.sanitize import clean_text, has_words, looks_like_command, strip_leading_slashes
from bot.transcript import Transcript
from bot.types import Answer, Button, Incoming
from knowledge.answers import copy_text, load_copy
from knowledge.escalations.handoff import PauseState
from knowledge.language.languages import is_english
from knowledge.language.privacy import hide_identity_numbers, identity_numbers
from knowledge.pseudonyms import log_pseudonym

log = logging.getLogger(__name__)

MENU_PAYLOAD = "/ask_help"
STORED_TEXT_LIMIT = 20_000  # longer inbound texts are stored cut to this many characters

# Delivers a turn's replies (Telegram, WhatsApp: into the outbox, with their transcript lines).
Deliver = Callable[[list[Answer]], Awaitable[None]]


class Handoff(Protocol):
    """The help desk as the router sees it (bot/handoff.py): paused or not, and the clean restart after."""

    def state(self, channel: str, user_id: str) -> PauseState:
        """Whether a staff member holds this conversation (blocking; run in a thread)."""

    def reset_done(self, channel: str, user_id: str) -> None:
        """The dialogue was restarted after a release."""


def hashed(user_id: str) -> str:
    """A user id for logs: stable, not reversible (a keyed hash; the key is loaded at startup, bot/asgi.py)."""
    return log_pseudonym(user_id)


def local_reply(key: str, **fmt: Any) -> Answer:
    """A gateway message, with the menu button where it helps the user go on."""
    copy = load_copy("gateway")
    text = copy[key].format(**fmt)
    buttons = (Button(copy["menu_button"], MENU_PAYLOAD),) if key in ("empty", "non_text") else ()
    return Answer(text=text, buttons=buttons)


class Router:
    """Turns an Incoming message into replies, whatever the channel."""

    def __init__(
        self,
        rasa: RasaClient,
        transcript: Transcript,
        *,
        rate_limit_per_minute: int,
        max_chars: int,
        handoff: Handoff | None = None,
        emergency_check: Callable[[str, str], bool] | None = None,
    ):
        self.rasa = rasa
        self.transcript = transcript
        self.rate_limit = rate_limit_per_minute
        self.max_chars = max_chars
        # While a staff member holds the conversation the bot stays silent (one notice); after a release the
        # dialogue is restarted before the next turn.
        self.handoff = handoff
        # Returns True while the user has an open emergency: then even crying emoji go to the bot.
        self.emergency_check = emergency_check

    async def _db(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return await anyio.to_thread.run_sync(lambda: fn(*args, **kwargs))

    async def handle(self, msg: Incoming, deliver: Deliver | None = None) -> list[Answer]:
        """Process one message; returns the replies ([] for a duplicate delivery).

        Without `deliver` the replies are recorded in the transcript and the caller shows them (web chat);
        with it, `deliver` stores them (transcript and outbox) before the message counts as answered.
        """
        text = clean_text(msg.text) if msg.kind == "text" else ""
        stored = msg.text[:STORED_TEXT_LIMIT] if msg.kind == "text" else f"[{msg.meta.get('type', 'non_text')}]"
        msg_id, is_new = await self._db(
            self.transcript.record,
            channel=msg.channel,
            user_id=msg.user_id,
            direction="in",
            text=stored,
            status="received",
            external_id=msg.external_id,
        )
        if not is_new:
            msg_id = await self._unanswered(msg)
            if msg_id is None:
                log.info("duplicate %s message from %s dropped", msg.channel, hashed(msg.user_id))
                return []
        replies, status = await self._answer(msg, text)
        if deliver is not None:
            await deliver(replies)
        else:
            for reply in replies:
                await self._db(
                    self.transcript.record,
                    channel=msg.channel,
                    user_id=msg.user_id,
                    direction="out",
                    text=reply.text,
                    buttons=[{"title": b.title, "payload": b.payload} for b in reply.buttons],
                )
        await self._db(self.transcript.set_status, msg_id, status)
        return replies

    async def _unanswered(self, msg: Incoming) -> int | None:
        """A redelivered message the gateway recorded but never answered (it stopped mid-turn), else None."""
        if not msg.redelivered or msg.external_id is None:
            return None
        found: int | None = await self._db(self.transcript.unanswered, msg.channel, msg.external_id)
        if found is not None:
            log.info("answering a %s message from %s left unanswered by a stop", msg.channel, hashed(msg.user_id))
        return found

    async def _answer(self, msg: Incoming, text: str) -> tuple[list[Answer], str]:
        pause = await self._db(self.handoff.state, msg.channel, msg.user_id) if self.handoff else PauseState()
        if pause.paused:  # recorded for the staff member; the user hears from the bot once, not per message
            return ([pause.notice] if pause.notice else []), "handed_over"
        replies, status = await self._bot_turn(msg, text, pause)
        # a hold that just ended by itself: said once, before the bot's own answer to this message
        return ([pause.notice, *replies] if pause.notice else replies), status

    async def _bot_turn(self, msg: Incoming, text: str, pause: PauseState) -> tuple[list[Answer], str]:
        # Every stored message counts, whatever it is: a flood of over-long or empty ones is slowed down too.
        recent = await self._db(self.transcript.inbound_in_last_minute, msg.channel, msg.user_id)
        if recent > self.rate_limit:
            return [local_reply("slow_down")], "rate_limited"
        if msg.kind != "text":
            return [local_reply("non_text")], "answered"
        if len(msg.text) > self.max_chars:
            return [local_reply("too_long", limit=self.max_chars)], "rejected"
        if text.startswith("/"):
            offered = await self._db(self.transcript.offered_payloads, msg.channel, msg.user_id)
            if not (looks_like_command(text) and (msg.trusted_command or text in offered)):
                text = strip_leading_slashes(text)
        if not has_words(text) and not (text and await self._in_emergency(msg)):
            return [local_reply("empty")], "answered"
        notes = []
        if identity_numbers(text):  # never asked for, never passed on: Rasa, its tracker and logs never see it
            notes.append(Answer(copy_text("privacy", "warning")))
            text = hide_identity_numbers(text)
        # after the answer: an emergency's hotline must stay the first thing read
        english = is_english(text) and not text.startswith("/")  # a button's payload is not the user's language
        after = [Answer(copy_text("languages", "english_note"))] if english else []
        sender = f"{msg.channel}:{msg.user_id}"
        try:
            if pause.reset_due and self.handoff is not None:
                await self.rasa.restart(sender)
                await self._db(self.handoff.reset_done, msg.channel, msg.user_id)
            replies = await self.rasa.send(sender, text)
        except RasaUnavailable as exc:
            log.error("rasa turn failed for %s on %s: %s", hashed(msg.user_id), msg.channel, exc)
            return [*notes, local_reply("service_trouble"), *after], "failed"
        return [*notes, *replies, *after], "answered"

    async def _in_emergency(self, msg: Incoming) -> bool:
        return self.emergency_check is not None and bool(await self._db(self.emergency_check, msg.channel, msg.user_id))
