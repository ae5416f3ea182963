"""What the channel adapters say themselves (without Rasa)."""

from __future__ import annotations

from bot.router import MENU_PAYLOAD
from bot.types import Answer, Button
from knowledge.answers import copy_text, load_copy


def button_expired() -> Answer:
    """A pressed button we cannot read back (an unknown short key): say so, with the menu."""
    return Answer(copy_text("channels", "button_expired"), (Button(load_copy("gateway")["menu_button"], MENU_PAYLOAD),))


def group_notice(username: str | None) -> Answer:
    """In a group, the bot only points to a private chat (people share passports and NIKs with it)."""
    if username:
        return Answer(copy_text("channels", "group_private", link=f"https://t.me/{username}"))
    return Answer(copy_text("channels", "group_private_no_link"))
