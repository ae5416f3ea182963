"""Reading a turn: the entity the user did not take back, and the span of a cut-up entity."""

from __future__ import annotations

from knowledge.turns import Entity, Turn


def _turn(text: str, *values: str, name: str = "location") -> Turn:
    return Turn(text=text, entities=tuple(Entity(name, v, text.index(v), text.index(v) + len(v)) for v in values))


def test_a_corrected_entity_wins():
    assert _turn("eh bukan batam, maksudnya bintan", "batam", "bintan").entity("location") == "bintan"
    assert _turn("bintan, bukan batam", "bintan", "batam").entity("location") == "bintan"
    assert _turn("di batam", "batam").entity("location") == "batam"
    assert _turn("bukan batam", "batam").entity("location") == "batam"  # nothing else named: keep it
    assert _turn("di batam").entity("location") is None


def test_entity_pieces_span_the_name_the_user_wrote():
    turn = _turn("pt uji lintas benua sejahtera resmi", "uji", "benua sejahtera", name="agency")
    assert turn.entity_span("agency") == "uji lintas benua sejahtera"
    assert Turn(text="x", entities=(Entity("agency", "Uji"),)).entity_span("agency") == "Uji"


def test_a_button_press_is_not_typed_text():
    assert Turn(text='/search_vacancy{"job":"las"}').typed == ""
    assert Turn(text="loker las").typed == "loker las"
