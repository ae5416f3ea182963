"""Dates as Indonesian readers expect them."""

from __future__ import annotations

from datetime import date

_MONTHS = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def format_date_id(value: date) -> str:
    """'2026-11-24' -> '24 November 2026'."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
