"""Rendering is pure: answers in, Bot API / Graph API bodies out. Splitting, keyboards, lists, numbered text."""

from __future__ import annotations

import json

import pytest

from bot.channels import telegram_render, whatsapp_render
from bot.channels.text import split_text, utf16_len
from bot.channels.whatsapp_updates import number_choice
from knowledge.answers import Answer, Button, copy_text


class Keys:
    """A stand-in for the database's key store: remembers what it shortened."""

    def __init__(self) -> None:
        self.stored: dict[str, str] = {}

    def __call__(self, payload: str) -> str:
        key = f"k:{len(self.stored):04d}"
        self.stored[key] = payload
        return key


def _paragraphs(n: int, size: int) -> str:
    return "\n\n".join(f"Paragraf {i}: " + " ".join(["kata"] * (size // 5)) for i in range(n))


def test_short_text_is_one_piece_and_empty_text_none():
    assert split_text("  halo  ", 4096) == ["halo"]
    assert split_text(" \n ", 4096) == []


def test_long_text_is_cut_at_paragraph_boundaries_and_nothing_is_lost():
    text = _paragraphs(12, 900)
    pieces = split_text(text, 4096)
    assert len(pieces) > 1
    assert all(utf16_len(p) <= 4096 for p in pieces)
    assert all(p.startswith("Paragraf") for p in pieces)  # every piece starts at a paragraph
    assert "\n\n".join(pieces) == text


def test_one_huge_paragraph_is_cut_at_lines_then_words_then_anywhere():
    lines = "\n".join("baris " + "x" * 50 for _ in range(200))
    assert all(utf16_len(p) <= 4096 for p in split_text(lines, 4096))
    assert all(p.startswith("baris") for p in split_text(lines, 4096))
    one_word = "a" * 10_000
    pieces = split_text(one_word, 4096)
    assert [len(p) for p in pieces] == [4096, 4096, 1808]


def test_emoji_count_twice_like_telegram_counts_them():
    text = "🙏" * 3000  # 6,000 UTF-16 units
    pieces = split_text(text, 4096)
    assert len(pieces) == 2 and all(utf16_len(p) <= 4096 for p in pieces)
    assert "".join(pieces) == text


def test_telegram_plain_text_pieces_with_the_keyboard_under_the_last():
    answer = Answer(_paragraphs(10, 900), (Button("Ya", "/affirm"), Button("Bukan", "/deny")))
    calls = telegram_render.render("42", answer, shorten=Keys())
    assert len(calls) >= 2 and all(method == "sendMessage" for method, _ in calls)
    assert all("parse_mode" not in body for _, body in calls)  # plain text: no Markdown/HTML injection
    assert all(body["chat_id"] == "42" for _, body in calls)
    assert "reply_markup" not in calls[0][1]
    assert calls[-1][1]["reply_markup"] == {
        "inline_keyboard": [[{"text": "Ya", "callback_data": "/affirm"}], [{"text": "Bukan", "callback_data": "/deny"}]]
    }


def test_telegram_text_that_looks_like_markup_goes_out_verbatim():
    text = "<b>PT *Maju*</b> [klik](http://x.test) _a_"
    [(_, body)] = telegram_render.render("1", Answer(text), shorten=Keys())
    assert body["text"] == text and "parse_mode" not in body


def test_telegram_long_payloads_go_under_a_short_key():
    long_payload = '/search_vacancy{"job":"operator mesin bubut","location":"Kabupaten Bekasi"}'
    assert len(long_payload.encode()) > 64
    keys = Keys()
    [(_, body)] = telegram_render.render("1", Answer("Pilih", (Button("Cari", long_payload),)), shorten=keys)
    data = body["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert len(data.encode()) <= 64 and keys.stored[data] == long_payload
    # a short payload that happens to start like a key is stored too, so it cannot be misread
    [(_, body)] = telegram_render.render("1", Answer("x", (Button("A", "k:abc"),)), shorten=keys)
    assert keys.stored[body["reply_markup"]["inline_keyboard"][0][0]["callback_data"]] == "k:abc"


def test_telegram_buttons_without_text_still_get_a_message():
    [(_, body)] = telegram_render.render("1", Answer("", (Button("Ya", "/affirm"),)), shorten=Keys())
    assert body["text"] == copy_text("channels", "pick_one") and body["reply_markup"]


def _buttons(n: int, title: str = "Pilihan nomor") -> tuple[Button, ...]:
    return tuple(Button(f"{title} {i}", f"/choice{i}") for i in range(1, n + 1))


def test_whatsapp_up_to_three_buttons_are_reply_buttons_with_short_titles():
    buttons = (Button("Ya, betul yang itu sekali", "/affirm"), Button("Bukan", "/deny"))
    answer = Answer("Maksud Anda PT Contoh?", buttons)
    [(method, body)] = whatsapp_render.render("628111", answer, shorten=Keys())
    assert method == "messages" and body["type"] == "interactive" and body["to"] == "628111"
    interactive = body["interactive"]
    assert interactive["type"] == "button" and interactive["body"]["text"] == "Maksud Anda PT Contoh?"
    replies = [b["reply"] for b in interactive["action"]["buttons"]]
    assert [r["id"] for r in replies] == ["/affirm", "/deny"]
    assert all(len(r["title"]) <= 20 for r in replies) and replies[0]["title"].endswith("…")


@pytest.mark.parametrize("n", [4, 10])
def test_whatsapp_four_to_ten_buttons_are_a_list(n):
    answer = Answer("Menu", _buttons(n, "Cek perusahaan penempatan resmi"))
    [(_, body)] = whatsapp_render.render("628111", answer, shorten=Keys())
    interactive = body["interactive"]
    assert interactive["type"] == "list"
    rows = interactive["action"]["sections"][0]["rows"]
    assert len(rows) == n and all(len(r["title"]) <= 24 for r in rows)
    assert len({r["title"] for r in rows}) == n  # clipped titles stay unique
    assert rows[0]["description"] == "Cek perusahaan penempatan resmi 1"  # the whole title underneath
    assert len(interactive["action"]["button"]) <= 20


def test_whatsapp_more_than_ten_buttons_become_numbered_text_answered_by_number():
    buttons = _buttons(12)
    [(_, body)] = whatsapp_render.render("628111", Answer("Pilih kota", buttons), shorten=Keys())
    assert body["type"] == "text"
    text = body["text"]["body"]
    assert text.startswith("Pilih kota") and "1. Pilihan nomor 1" in text and "12. Pilihan nomor 12" in text
    offered = [{"title": b.title, "payload": b.payload} for b in buttons]
    assert number_choice("12", offered) == "/choice12"
    assert number_choice(" 3. ", offered) == "/choice3"
    assert number_choice("13", offered) is None and number_choice("3 kali", offered) is None
    assert number_choice("3", offered[:10]) is None  # a list of 10 was a real list: "3" is just text


def test_whatsapp_long_text_is_split_and_a_long_last_piece_gets_its_own_choice_message():
    answer = Answer(_paragraphs(10, 900), (Button("Ya", "/affirm"),))
    calls = whatsapp_render.render("628111", answer, shorten=Keys())
    texts = [b for _, b in calls if b["type"] == "text"]
    assert len(texts) >= 2 and all(len(b["text"]["body"]) <= 4096 for b in texts)
    last = calls[-1][1]
    assert last["type"] == "interactive" and len(last["interactive"]["body"]["text"]) <= 1024


def test_whatsapp_long_payloads_go_under_a_short_key():
    keys = Keys()
    payload = "/x" + "y" * 300
    [(_, body)] = whatsapp_render.render("6281", Answer("a", (Button("A", payload),)), shorten=keys)
    reply_id = body["interactive"]["action"]["buttons"][0]["reply"]["id"]
    assert keys.stored[reply_id] == payload
    json.dumps(body)  # a plain JSON body
