"""The poll cursor (knowledge/cursors.py): its text, old plain-number cursors, the settle window, the bound."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from knowledge import cursors
from knowledge.cursors import MAX_SEEN, SETTLE_S, Cursor

T0 = 1_800_000_000.0


@dataclass(frozen=True)
class Line:
    id: int


class Table:
    """Committed line ids; `read` behaves like transcripts.lines_after."""

    def __init__(self, *ids: int) -> None:
        self.ids = set(ids)

    def read(self, low: int, seen: tuple[int, ...], limit: int = 200) -> list[Line]:
        return [Line(i) for i in sorted(self.ids) if i > low and i not in seen][:limit]

    def poll(self, text: str, now: float, limit: int = 200) -> tuple[list[int], str]:
        cursor = cursors.parse(text)
        assert cursor is not None
        lines, nxt = cursors.poll(cursor, lambda lo, seen: self.read(lo, seen, limit), lambda: 0, limit=limit, now=now)
        return [line.id for line in lines], nxt


@pytest.mark.parametrize(
    "cursor",
    [Cursor(), Cursor(low=7), Cursor(3, 9, int(T0), (5, 9)), Cursor(10**17, 10**17 + 5, int(T0), (10**17 + 5,))],
)
def test_text_round_trip(cursor):
    assert cursors.parse(cursors.encode(cursor)) == cursor


def test_a_plain_number_from_an_old_page_is_a_cursor_with_nothing_pending():
    assert cursors.parse("41") == Cursor(low=41)
    assert cursors.encode(Cursor(low=41)) == "41"  # and a settled cursor looks like one
    assert cursors.parse(None) == Cursor()


@pytest.mark.parametrize(
    "text", ["", "x1", "-1", "1.2", "1..2.3", "1.2.3.a", "١٢", "1" * 19, ".".join(["1"] * (MAX_SEEN + 60)), " 1"]
)
def test_what_cannot_be_a_cursor_is_refused(text):
    assert cursors.parse(text) is None


def test_a_line_that_commits_after_a_newer_one_was_read_comes_once():
    table = Table(1, 2)
    got, text = table.poll("0", T0)
    assert got == [1, 2]
    table.ids.add(4)  # 4 commits while 3 is still open
    got, text = table.poll(text, T0 + 1)
    assert got == [4]
    table.ids.add(3)  # ... and now 3 commits: a cursor "id > 4" would never show it
    got, text = table.poll(text, T0 + 2)
    assert got == [3]
    assert table.poll(text, T0 + 3)[0] == []
    # the settle window passes: the pending ids fold into the low-water mark, the cursor is small again
    _, text = table.poll(text, T0 + 2 + SETTLE_S)
    _, text = table.poll(text, T0 + 3 + 2 * SETTLE_S)
    assert text == "4"
    assert table.poll(text, T0 + 4 + 2 * SETTLE_S)[0] == []


def test_the_low_water_mark_waits_for_the_settle_window():
    table = Table(5)
    _, text = table.poll("0", T0)
    table.ids.add(9)
    _, text = table.poll(text, T0 + SETTLE_S - 1)
    assert cursors.parse(text).low == 0  # type: ignore[union-attr]  # 6..8 may still commit
    table.ids.add(7)
    assert table.poll(text, T0 + SETTLE_S - 0.5)[0] == [7]


def test_a_poll_cut_short_by_its_limit_does_not_move_past_what_it_left():
    table = Table(*range(1, 11))
    got, text = table.poll("0", T0, limit=4)
    assert got == [1, 2, 3, 4]
    got, text = table.poll(text, T0 + 2 * SETTLE_S, limit=4)
    assert got == [5, 6, 7, 8]
    got, text = table.poll(text, T0 + 4 * SETTLE_S, limit=4)
    assert got == [9, 10]


def test_the_cursor_stays_bounded_however_many_lines_arrive_at_once():
    table = Table(*range(1, 500))
    seen: list[int] = []
    text = "0"
    for n in range(5):
        got, text = table.poll(text, T0 + n)
        seen += got
    assert seen == list(range(1, 500))  # each once
    assert len(text) <= cursors.MAX_TEXT and len(cursors.parse(text).seen) <= MAX_SEEN  # type: ignore[union-attr]


def test_a_page_load_starts_from_what_it_shows():
    table = Table(3, 8, 12)
    text = cursors.encode(cursors.start([3, 8, 12], top=12, now=T0))
    table.ids.add(10)  # committed late, below the newest line the page shows
    assert table.poll(text, T0 + 1)[0] == [10]
    assert cursors.encode(cursors.start([], top=0, now=T0)) == "0"
