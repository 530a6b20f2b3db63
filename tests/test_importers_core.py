"""Reading import files: encodings, line endings, quoted thousands, binary refusal, aliases."""

from __future__ import annotations

import gzip
from datetime import date

import pytest

from recruit.reference.importers.core import (
    CellError,
    Column,
    ImportRefused,
    SourceFile,
    Table,
    header_key,
    match_columns,
    normalise_postcode,
    parse_count,
    parse_date,
)
from recruit.reference.importers.vocabulary import ethnic_code, pay_band


def _rows(data: bytes, name: str = "f.csv") -> tuple[list[str], list]:
    table = Table(SourceFile.from_bytes(data, name, allow_gzip=True))
    return table.header, list(table.rows())


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["no BOM", "BOM"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["LF", "CRLF"])
def test_bom_and_crlf_read_the_same(prefix, newline):
    data = prefix + newline.join([b"code,rank", b'E01000001,"29,199"', b"E01000002,5", b""])
    header, rows = _rows(data)
    assert header == ["code", "rank"]
    assert [cells for _, cells in rows] == [["E01000001", "29,199"], ["E01000002", "5"]]
    assert parse_count(rows[0][1][1]) == 29199


def test_gzip_is_read_transparently_from_the_command_line_but_not_uploads():
    data = gzip.compress(b"code,rank\nE01000001,1\n")
    assert _rows(data)[1] == [(2, ["E01000001", "1"])]
    with pytest.raises(ImportRefused, match="compressed"):
        Table(SourceFile.from_bytes(data, "f.csv"))


def test_row_numbers_match_the_spreadsheet_and_skip_blank_lines():
    _, rows = _rows(b"a,b\n1,2\n\n,\n3,4\n")
    assert [number for number, _ in rows] == [2, 5]


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"\xef\xbb\xbf", "empty"),
    (b"PK\x03\x04\x14\x00\x06\x00", "Excel workbook"),
    (b"%PDF-1.7\n", "PDF"),
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xfea\x00,\x00b\x00", "UTF-16"),
    (b"a,b\n\x00\x01\x02\x03", "binary"),
    (b"name\ncaf\xe9\n", "not UTF-8"),
], ids=["empty", "BOM only", "xlsx", "pdf", "png", "utf16", "binary", "latin-1"])
def test_non_csv_content_is_refused_whatever_the_name(data, message):
    with pytest.raises(ImportRefused, match=message):
        Table(SourceFile.from_bytes(data, "looks-fine.csv"))


def test_invalid_utf8_after_the_sniffed_part_is_reported_with_its_row():
    data = b"name\n" + b"x\n" * 40_000 + b"caf\xe9\n"
    table = Table(SourceFile.from_bytes(data, "f.csv"))
    with pytest.raises(ImportRefused) as caught:
        list(table.rows())
    assert "not UTF-8" in caught.value.errors[0].message


def test_headers_match_by_normalised_label_and_aliases():
    assert header_key("Ethnic group: Total: All usual residents; measures: Value") == \
        header_key("ethnic group:  total: all usual residents")
    wanted = [Column("ref", ("staff_ref", "Assignment Number"), required=True),
              Column("ward", ("osward", "ward"), patterns=(r"wd(\d\d)cd",)),
              Column("band", ("pay_band",), required=True)]
    found, errors = match_columns(["ASSIGNMENT NUMBER", "WD23CD", "WD24CD"], wanted)
    assert found.header == {"ref": "ASSIGNMENT NUMBER", "ward": "WD24CD"}  # newest edition
    assert [e.message for e in errors] == ["The file has no “pay_band” column."]
    _, duplicated = match_columns(["staff_ref", "Staff Ref", "pay_band"], wanted)
    assert "appears twice" in duplicated[0].message


@pytest.mark.parametrize(("text", "value"), [("0", 0), ("29,199", 29199), ("1,234,567", 1234567),
                                             (" 12 ", 12)])
def test_counts(text, value):
    assert parse_count(text) == value


@pytest.mark.parametrize(("text", "message"), [("-5", "negative"), ("12.5", "whole number"),
                                               ("abc", "whole number"), ("1,23", "whole number")])
def test_bad_counts(text, message):
    with pytest.raises(CellError, match=message):
        parse_count(text)


def test_dates_postcodes_codes_and_bands():
    assert parse_date("2025-03-31") == parse_date("31/03/2025") == parse_date("31-MAR-2025") \
        == date(2025, 3, 31)
    assert normalise_postcode(" m15  4ab ") == "M15 4AB"
    assert normalise_postcode("WA144LZ") == "WA14 4LZ"
    assert normalise_postcode("not a postcode") is None
    assert [ethnic_code(v) for v in ("A", "a", "J Asian or Asian British - Pakistani",
                                     "CA White English", "99", "Z Not Stated")] == \
        ["A", "A", "J", "C", "99", "Z"]
    for bad in ("African", "White - British", "I", "Q Something"):
        with pytest.raises(CellError):
            ethnic_code(bad)
    assert [pay_band(v) for v in ("5", "Band 5", "AfC Band 8A", "band 8 c", "VSM",
                                  "Very Senior Manager", "Consultant")] == \
        ["Band 5", "Band 5", "Band 8a", "Band 8c", "VSM", "VSM", "Consultant"]
