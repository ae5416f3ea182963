"""What every importer shares: reading a file with line numbers, row errors, amounts, the summary line,
and the bookkeeping of each imported data set (its version, as-of date and demo flag)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Delete
from sqlalchemy.orm import Session

from knowledge.language.text import fold
from knowledge.models import Dataset, utcnow

MAX_FIELD_CHARS = 20_000
# Names of the imported data sets (rows of the `datasets` table).
AGENCY_DATASET = "agencies"
VACANCY_DATASET = "vacancies"
TRAINING_DATASET = "trainings"
_AMOUNT_UNIT = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(jt|juta|rb|ribu|k)$")


class RowError(ValueError):
    """A row that cannot be read; the message says why (the caller adds the line number)."""


@dataclass(frozen=True)
class Problem:
    """One bad line of an import file."""

    line: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.reason}" if self.line else self.reason


class ImportFailed(Exception):
    """The file was rejected; nothing was changed. Carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(str(p) for p in problems[:5]))
        self.problems = problems


@dataclass
class ImportSummary:
    """Counts of one import, printed as one line."""

    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the import added or updated anything."""
        return bool(self.added or self.updated)

    def line(self) -> str:
        """'read 5, added 3, updated 1, unchanged 1, skipped 0' (plus notes)."""
        text = (
            f"read {self.read}, added {self.added}, updated {self.updated}, "
            f"unchanged {self.unchanged}, skipped {len(self.skipped)}"
        )
        return "; ".join([text, *self.notes])


def decode_file(path: Path) -> str:
    """The file as text (UTF-8, BOM allowed); a decoding error names its line."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed([Problem(0, f"cannot read {path}: {exc.strerror or exc}")]) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportFailed([Problem(line, "not valid UTF-8 (save the file as UTF-8)")]) from exc


def read_csv(path: Path, required: tuple[str, ...], *, delimiter: str = ",") -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number of the row's first line, {column: stripped value}) for every data row.

    The header is line 1. Column names are matched case-insensitively; unknown columns are ignored.
    """
    text = decode_file(path)
    if not text.strip():
        raise ImportFailed([Problem(1, "the file is empty (a header row is required)")])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True, delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except csv.Error as exc:
        raise ImportFailed([Problem(1, f"unreadable header: {exc}")]) from exc
    missing = [c for c in required if c not in header]
    if missing:
        raise ImportFailed([Problem(1, f"missing column(s): {', '.join(missing)} (header: {','.join(header)})")])
    start = reader.line_num + 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ImportFailed([Problem(start, f"broken CSV quoting: {exc}")]) from exc
        line, start = start, reader.line_num + 1
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > len(header) and any(c.strip() for c in cells[len(header) :]):
            yield line, {"__error__": f"{len(cells)} fields but the header has {len(header)}"}
            continue
        row = {name: (cells[i].strip() if i < len(cells) else "") for i, name in enumerate(header)}
        yield line, row


def parse_date(value: str, column: str, fmt: str = "%Y-%m-%d") -> date | None:
    """An optional date; a malformed one is a RowError naming the column."""
    value = value.strip()
    if not value:
        return None
    try:
        if fmt == "%Y-%m-%d" and len(value) == 10:
            return date.fromisoformat(value)  # the same format, parsed in C
        return datetime.strptime(value, fmt).date()
    except ValueError as exc:
        expected = "YYYY-MM-DD" if fmt == "%Y-%m-%d" else fmt
        raise RowError(f"{column} '{value[:40]}' is not a date ({expected})") from exc


def require(row: dict[str, str], column: str, max_len: int = 300) -> str:
    """A required, non-empty text value of bounded length."""
    value = row.get(column, "").strip()
    if not value:
        raise RowError(f"{column} is empty")
    if len(value) > max_len:
        raise RowError(f"{column} is longer than {max_len} characters")
    return value


def optional(row: dict[str, str], column: str, max_len: int = MAX_FIELD_CHARS) -> str:
    """An optional text value of bounded length ('' when absent)."""
    value = row.get(column, "").strip()
    if len(value) > max_len:
        raise RowError(f"{column} is longer than {max_len} characters")
    return value


def collect(
    rows: Iterator[tuple[int, dict[str, str]]], parse, *, skip_invalid: bool, summary: ImportSummary
) -> list[tuple[int, object]]:
    """Parse every row; with skip_invalid, record bad rows as skipped, otherwise fail with all of them."""
    good: list[tuple[int, object]] = []
    problems: list[Problem] = []
    for line, row in rows:
        summary.read += 1
        try:
            if "__error__" in row:
                raise RowError(row["__error__"])
            good.append((line, parse(row)))
        except RowError as exc:
            problems.append(Problem(line, str(exc)))
    if problems and not skip_invalid:
        raise ImportFailed(problems)
    summary.skipped.extend(problems)
    return good


def first_occurrences(
    parsed: list[tuple[int, object]], key, describe, *, skip_invalid: bool, summary: ImportSummary
) -> list:
    """Rows whose `key(row)` was not seen on an earlier line; a repeat is an error (or skipped).

    `describe(row, first_line)` says why the repeat is refused.
    """
    first_line: dict[object, int] = {}
    rows: list = []
    problems: list[Problem] = []
    for line, row in parsed:
        k = key(row)
        if k in first_line:
            problems.append(Problem(line, describe(row, first_line[k])))
            continue
        first_line[k] = line
        rows.append(row)
    if problems and not skip_invalid:
        raise ImportFailed(problems)
    summary.skipped.extend(problems)
    return rows


def parse_money(value: str, column: str) -> int | None:
    """'4.500.000', 'Rp 4,500,000', '4,5 jt', '4500k' -> rupiah; '' -> None."""
    if not fold(value).replace("rp", "").replace(" ", ""):
        return None
    raw = value.lower().replace("rp", "").strip()
    unit = _AMOUNT_UNIT.match(raw.replace(" ", ""))
    if unit:
        number = float(unit.group(1).replace(",", "."))
        amount = int(number * (1_000_000 if unit.group(2) in ("jt", "juta") else 1_000))
    else:
        digits = raw.replace(".", "").replace(",", "").replace(" ", "")
        if not digits.isdigit():
            raise RowError(f"{column} '{value[:30]}' is not an amount in rupiah")
        amount = int(digits)
    if amount > 10_000_000_000:
        raise RowError(f"{column} '{value[:30]}' is not a plausible amount")
    return amount


@dataclass(frozen=True)
class DatasetInfo:
    """Provenance of an imported data set: as-of date, fictional demo or real, version (a cache key), size."""

    as_of: date | None
    is_demo: bool
    version: int
    size: int


def dataset_info(session: Session, name: str) -> DatasetInfo:
    """What is known about a data set ('agencies', 'vacancies', 'trainings'); zeros when never imported."""
    ds = session.get(Dataset, name)
    if ds is None:
        return DatasetInfo(as_of=None, is_demo=False, version=0, size=0)
    return DatasetInfo(as_of=ds.as_of, is_demo=ds.is_demo, version=ds.version or 0, size=ds.row_count or 0)


def record_import(
    session: Session, name: str, path: Path, *, demo: bool, as_of: date | None = None, row_count: int | None = None
) -> Dataset:
    """Note an import of a data set: bump its version (caches rebuild), set its as-of date and demo flag."""
    dataset = session.get(Dataset, name)
    if dataset is None:
        dataset = Dataset(name=name, version=0, row_count=0)
        session.add(dataset)
    dataset.version = (dataset.version or 0) + 1
    dataset.as_of = as_of or date.today()
    dataset.source_file = path.name[:500]
    dataset.is_demo = demo
    dataset.imported_at = utcnow()
    if row_count is not None:
        dataset.row_count = row_count
    return dataset


def delete_count(session: Session, statement: Delete) -> int:
    """Run a DELETE and return how many rows it removed."""
    result = session.execute(statement)
    return int(getattr(result, "rowcount", 0) or 0)
