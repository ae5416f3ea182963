"""Reading a search request from a turn: the job in free text, corrections, refinements."""

from __future__ import annotations

import pytest

from knowledge.requests import current_request, job_from_text
from knowledge.turns import Turn


@pytest.mark.parametrize(
    ("text", "job"), [("loker las dong", "las"), ("cari kerja jadi sopir", "sopir"), ("apa saja", "*"), ("loker", None)]
)
def test_job_from_text(text, job):
    assert job_from_text(text) == job


@pytest.mark.parametrize("text", ["eh bukan batam, maksudnya bintan", "bintan, bukan batam"])
def test_a_corrected_place_without_entities_reads_the_place_not_taken_back(text):
    request = current_request(Turn(text=text, intent="inform", slots={"job": "las", "location": "batam"}))
    assert request.location == "bintan"


def test_a_place_named_now_ends_an_overseas_search():
    request = current_request(
        Turn(text="kalau di batam?", intent="inform", slots={"job": "operator", "country": "Taiwan"})
    )
    assert (request.country, request.location) == (None, "batam")


def test_an_empty_place_is_asked_again_without_an_unknown_place_message():
    from knowledge.requests import validate_location

    assert validate_location("  ") == ({"location": None}, None)
    assert validate_location("*") == ({"location": "*"}, None)
