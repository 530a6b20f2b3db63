"""Reading import files: what every importer shares. Pure: no database, no Flask.

A file is read as a stream of CSV rows (UTF-8 with or without a byte-order mark, LF or CRLF,
gzip-compressed or not) after its first bytes have been sniffed, so that a spreadsheet, a PDF or
any other binary file is refused by its content whatever its name says. Headers are matched
through an alias table on a normalised key (case, spacing and punctuation ignored, nomis's
``; measures: Value`` suffix dropped), never by position.

Problems are collected as :class:`RowError` (row, column, value, what is wrong) and the whole file
is refused with :class:`ImportRefused`: importers validate everything before writing anything.
The standard library's ``csv`` module does the parsing; the sniffing and alias matching are ours
because no maintained library covers ONS/nomis header conventions.
"""

from __future__ import annotations

import codecs
import csv
import functools
import gzip
import hashlib
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from recruit.errors import RecruitError

SNIFF_BYTES = 64 * 1024
MAX_ERRORS_KEPT = 1000
SAVE_AS = "Save it from your spreadsheet as “CSV UTF-8 (comma delimited)” and try again."

_MAGIC = (
    (b"PK\x03\x04", "an Excel workbook or another zip archive"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel or Word file"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\xff\xfe", "UTF-16 text"),
    (b"\xfe\xff", "UTF-16 text"),
)
_GZIP = b"\x1f\x8b"
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MEASURES = re.compile(r";\s*measures\s*:\s*value\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class RowError:
    """One problem: the spreadsheet row (header = 1), the column, the value and what is wrong."""

    row: int | None
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = f"Row {self.row}" if self.row else "File"
        if self.column:
            where += f", column “{self.column}”"
        shown = f" (value “{_shorten(self.value)}”)" if self.value not in (None, "") else ""
        return f"{where}: {self.message}{shown}"


class ImportRefused(RecruitError):
    """The file was refused whole; nothing was written.

    :ivar errors: the first :data:`MAX_ERRORS_KEPT` problems, in file order.
    :ivar error_count: how many problems there were in all.
    """

    def __init__(self, errors: Sequence[RowError], *, error_count: int | None = None,
                 rows_read: int = 0) -> None:
        self.errors = list(errors)[:MAX_ERRORS_KEPT]
        self.error_count = error_count if error_count is not None else len(errors)
        self.rows_read = rows_read
        noun = "problem" if self.error_count == 1 else "problems"
        first = self.errors[0] if self.errors else None
        if self.error_count == 1 and first.column is None and first.value is None:
            message = f"The file was not imported. {first.message} Nothing was changed."
        else:
            message = (f"The file was not imported: {self.error_count:,} {noun} found. "
                       "Nothing was changed; correct the file and import it again.")
        super().__init__(message)


def refuse(message: str, *, row: int | None = None, column: str | None = None,
           value: str | None = None) -> ImportRefused:
    """An :class:`ImportRefused` for a single problem with the file as a whole."""
    return ImportRefused([RowError(row, column, value, message)])


def _shorten(value: str | None, limit: int = 60) -> str:
    value = value or ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


# -- the file ---------------------------------------------------------------------------------


class _Counting(io.RawIOBase):
    """A read-only wrapper reporting how many bytes have been read (for a progress bar)."""

    def __init__(self, inner: BinaryIO, advance: Callable[[int], None]) -> None:
        self._inner, self._advance = inner, advance

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        if data:
            self._advance(len(data))
        return len(data)

    def close(self) -> None:
        self._inner.close()
        super().close()


class SourceFile:
    """A file to import, from a path or from uploaded bytes.

    :param name: the file name to record (the path's name by default).
    :param allow_gzip: read ``.gz`` content transparently (the command line); uploads say no.
    """

    def __init__(self, name: str, *, path: Path | None = None, data: bytes | None = None,
                 allow_gzip: bool = True) -> None:
        if (path is None) == (data is None):
            raise ValueError("give a path or data")
        self.name = name
        self.path = path
        self.data = data
        self.allow_gzip = allow_gzip
        self._checksum: str | None = None

    @classmethod
    def from_path(cls, path: str | Path, *, name: str | None = None) -> SourceFile:
        path = Path(path)
        return cls(name or path.name, path=path)

    @classmethod
    def from_bytes(cls, data: bytes, name: str, *, allow_gzip: bool = False) -> SourceFile:
        return cls(name, data=data, allow_gzip=allow_gzip)

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else self.path.stat().st_size

    @property
    def checksum(self) -> str:
        """SHA-256 of the bytes as given (compressed or not), in hex."""
        if self._checksum is None:
            digest = hashlib.sha256()
            with self._open_binary() as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            self._checksum = digest.hexdigest()
        return self._checksum

    def _open_binary(self) -> BinaryIO:
        return io.BytesIO(self.data) if self.data is not None else self.path.open("rb")

    def _decoded_binary(self, advance: Callable[[int], None] | None = None) -> BinaryIO:
        raw = self._open_binary()
        head = raw.read(2)
        raw.seek(0)
        if advance is not None:
            raw = io.BufferedReader(_Counting(raw, advance))
        if head == _GZIP:
            if not self.allow_gzip:
                raw.close()
                raise refuse(f"This is a compressed (gzip) file, not CSV text. {SAVE_AS}")
            return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
        return raw

    def sniff(self) -> None:
        """Refuse binary content by what the bytes are, not by the file name."""
        with self._decoded_binary() as handle:
            try:
                head = handle.read(SNIFF_BYTES)
            except (OSError, EOFError) as exc:
                raise refuse(f"The compressed file is damaged ({exc}).") from exc
        if not head.strip():
            raise refuse("The file is empty.")
        for magic, what in _MAGIC:
            if head.startswith(magic):
                raise refuse(f"This looks like {what}, not a CSV text file. {SAVE_AS}")
        if _CONTROL.search(head):
            raise refuse(f"This is a binary file, not CSV text. {SAVE_AS}")
        try:
            codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        except UnicodeDecodeError as exc:
            raise refuse(f"The file is not UTF-8 text. {SAVE_AS}") from exc

    def open_text(self, advance: Callable[[int], None] | None = None) -> io.TextIOWrapper:
        """The file as text: UTF-8 with an optional BOM, newlines left to the CSV reader."""
        return io.TextIOWrapper(self._decoded_binary(advance), encoding="utf-8-sig", newline="")


# -- the table --------------------------------------------------------------------------------


@functools.lru_cache(maxsize=8192)  # the same few values repeat on every row
def header_key(text: str) -> str:
    """Normalise a header or label for matching: nomis suffix dropped, letters and digits only."""
    text = _MEASURES.sub("", text.replace("\ufeff", "").strip())
    return re.sub(r"[^a-z0-9]+", "", text.lower())


class Table:
    """The rows of a CSV file after its header, streamed.

    :ivar header: the header cells as written (surrounding spaces trimmed).
    :ivar rows_read: data rows seen so far (blank lines are not rows).
    """

    def __init__(self, source: SourceFile, advance: Callable[[int], None] | None = None) -> None:
        source.sniff()
        self.source = source
        self._text = source.open_text(advance)
        self._reader = csv.reader(self._text)
        self.rows_read = 0
        self._row_number = 1
        try:
            header = next(self._reader, None)
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
            self.close()
            raise refuse(f"The header row could not be read ({_reason(exc)}).", row=1) from exc
        if header is None or not any(cell.strip() for cell in header):
            self.close()
            raise refuse("The file is empty: it has no header row.", row=1)
        self.header = [cell.strip() for cell in header]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(row_number, cells)`` for every non-blank row; row numbers count the header."""
        try:
            for cells in self._reader:
                self._row_number += 1
                if not "".join(cells).strip():  # blank, or only spaces: not a row
                    continue
                self.rows_read += 1
                yield self._row_number, cells
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
            raise refuse(f"The file could not be read from here on ({_reason(exc)}). {SAVE_AS}",
                         row=self._row_number + 1) from exc
        finally:
            self.close()

    def close(self) -> None:
        self._text.close()


def _reason(exc: Exception) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    return str(exc)


# -- columns ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    r"""A field an importer wants, and the header names it is known by.

    :param aliases: header names, matched by :func:`header_key`; earlier ones win.
    :param patterns: regular expressions on the key for year-suffixed names (``wd(\d\d)cd``);
        when several headers match, the highest number (the newest edition) wins.
    """

    field: str
    aliases: tuple[str, ...]
    required: bool = False
    patterns: tuple[str, ...] = ()
    name: str = ""  # how messages name it, when not the first alias

    @property
    def label(self) -> str:
        return self.name or self.aliases[0]


@dataclass
class Columns:
    """Which header index holds each field, and the header text that was matched."""

    index: dict[str, int] = field(default_factory=dict)
    header: dict[str, str] = field(default_factory=dict)

    def __contains__(self, name: str) -> bool:
        return name in self.index


def match_columns(header: Sequence[str], wanted: Sequence[Column]
                  ) -> tuple[Columns, list[RowError]]:
    """Map ``wanted`` fields onto ``header``; report duplicates and missing required columns."""
    errors: list[RowError] = []
    keys = [header_key(cell) for cell in header]
    seen: dict[str, int] = {}
    for position, key in enumerate(keys):
        if key and key in seen:
            errors.append(RowError(1, header[position], None,
                                   "This column appears twice in the header."))
        seen.setdefault(key, position)
    found = Columns()
    for column in wanted:
        position = _find(column, seen)
        if position is None:
            if column.required:
                others = [a for a in column.aliases if a != column.label][:3]
                also = ", ".join(f"“{a}”" for a in others)
                hint = f" (also accepted: {also})" if also else ""
                errors.append(RowError(1, None, None,
                                       f"The file has no “{column.label}” column{hint}."))
            continue
        found.index[column.field] = position
        found.header[column.field] = header[position]
    return found, errors


def _find(column: Column, seen: dict[str, int]) -> int | None:
    for alias in column.aliases:
        position = seen.get(header_key(alias))
        if position is not None:
            return position
    best: tuple[int, int] | None = None
    for pattern in column.patterns:
        for key, position in seen.items():
            hit = re.fullmatch(pattern, key)
            if hit:
                rank = int(hit.group(1)) if hit.groups() else 0
                if best is None or rank > best[0]:
                    best = (rank, position)
    return best[1] if best else None


class Row:
    """One data row, read field by field; problems are collected rather than raised."""

    __slots__ = ("number", "cells", "columns", "errors")

    def __init__(self, number: int, cells: list[str], columns: Columns) -> None:
        self.number, self.cells, self.columns = number, cells, columns
        self.errors: list[RowError] = []

    def text(self, name: str) -> str:
        position = self.columns.index.get(name)
        if position is None or position >= len(self.cells):
            return ""
        return self.cells[position].strip()

    def get(self, name: str, parse: Callable[[str], object], *, required: bool = False):
        """Parse a field; ``None`` for an empty optional cell or after recording a problem."""
        text = self.text(name)
        if text == "":
            if required:
                self.error(name, text, "is empty: a value is required here.")
            return None
        try:
            return parse(text)
        except CellError as exc:
            self.error(name, text, str(exc))
            return None

    def error(self, name: str | None, value: str | None, message: str) -> None:
        column = self.columns.header.get(name, name) if name else None
        self.errors.append(RowError(self.number, column, value, message))


INVALID = object()  # what a :class:`Memo` gives for a cell that :meth:`Row.get` would refuse


class Memo:
    """A cell parser that parses each distinct cell once.

    Big extracts repeat a few dozen values (sites, pay bands, codes) on every row, so each is
    parsed the first time and looked up afterwards. ``memo(cell)`` gives what :meth:`Row.get`
    would: the parsed value, ``blank`` for an empty cell (spaces trimmed), or :data:`INVALID`
    where ``Row.get`` would record a problem; the caller then reads that row again with
    :class:`Row` for the message. At most ``limit`` distinct cells are kept.
    """

    __slots__ = ("parse", "blank", "known", "limit")

    def __init__(self, parse: Callable[[str], object], *, required: bool = False,
                 blank: object = None, limit: int = 100_000) -> None:
        self.parse = parse
        self.blank = INVALID if required else blank
        self.known: dict[str, object] = {}
        self.limit = limit

    def __call__(self, cell: str) -> object:
        try:
            return self.known[cell]
        except KeyError:
            pass
        text = cell.strip()
        if text == "":
            value = self.blank
        else:
            try:
                value = self.parse(text)
            except CellError:
                value = INVALID
        if len(self.known) < self.limit:
            self.known[cell] = value
        return value


def check_width(number: int, cells: list[str], header: Sequence[str]) -> RowError | None:
    """A row with more cells than the header has lost its alignment; fewer is allowed (blanks)."""
    if len(cells) > len(header) and "".join(cells[len(header):]).strip():
        return RowError(number, None, None,
                        f"has {len(cells)} cells but the header has {len(header)}: check for an "
                        "unquoted comma.")
    return None


# -- values -----------------------------------------------------------------------------------


class CellError(ValueError):
    """A cell's value is not acceptable; the message completes “<column> …”."""


_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
_ONS_CODE = re.compile(r"^[A-Z]\d{8}$")
_POSTCODE = re.compile(r"^([A-Z]{1,2}\d[A-Z\d]?)(\d[A-Z]{2})$")


def parse_count(text: str) -> int:
    """A non-negative whole number; ``"29,199"`` (quoted thousands) is read as 29199."""
    cleaned = text.replace(" ", "")
    if _THOUSANDS.match(cleaned):
        cleaned = cleaned.replace(",", "")
    if re.fullmatch(r"-\d+(,\d{3})*", cleaned):
        raise CellError("is negative: counts cannot be below zero.")
    if not cleaned.isdigit():
        raise CellError("is not a whole number.")
    return int(cleaned)


def bounded(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = parse_count(text)
        if not low <= value <= high:
            raise CellError(f"must be between {low:,} and {high:,}.")
        return value

    return parse


def ons_code(*prefixes: str) -> Callable[[str], str | None]:
    """An ONS GSS code (a letter and eight digits) starting with one of ``prefixes``.

    Pseudo-codes for “no area” (``E99999999``) come back as ``None``.
    """

    def parse(text: str) -> str | None:
        code = text.upper()
        if not _ONS_CODE.match(code):
            raise CellError("is not an ONS area code (a letter and eight digits, e.g. E05000723).")
        if code.endswith("99999999"):
            return None
        if prefixes and not code.startswith(prefixes):
            raise CellError(f"is not a code of this kind (expected {' or '.join(prefixes)}…).")
        return code

    return parse


def normalise_postcode(text: str) -> str | None:
    """A UK postcode in the ``pcds`` form (one space), or ``None`` if it is not one."""
    compact = re.sub(r"\s+", "", text.upper())
    hit = _POSTCODE.match(compact)
    return f"{hit.group(1)} {hit.group(2)}" if hit else None


def parse_postcode(text: str) -> str:
    postcode = normalise_postcode(text)
    if postcode is None:
        raise CellError("is not a UK postcode.")
    return postcode


_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d %b %Y", "%d %B %Y")


def parse_date(text: str) -> date:
    """A date as ISO (2025-03-31), UK (31/03/2025) or ESR style (31-MAR-2025)."""
    candidate = text.strip()
    if len(candidate) == 10 and candidate[4] == "-":
        try:
            return date.fromisoformat(candidate)
        except ValueError:
            pass
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?", candidate):
        candidate = candidate[:10]
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(candidate, pattern).date()  # noqa: DTZ007  (a calendar date)
        except ValueError:
            continue
    raise CellError("is not a date: write it as YYYY-MM-DD (or DD/MM/YYYY).")


def max_length(limit: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if len(text) > limit:
            raise CellError(f"is longer than {limit} characters.")
        return text

    return parse


_TRUE = {"y", "yes", "true", "1", "t"}
_FALSE = {"n", "no", "false", "0", "f"}


def parse_flag(text: str) -> bool:
    key = text.strip().lower()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise CellError("is not yes or no.")
