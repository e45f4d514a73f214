import csv
import io

import pytest

from safeguard.core.csv import csv_response, safe_cell, to_text


@pytest.mark.parametrize(
    "value",
    [
        "=1+1",
        "+44 7700 900000",
        "-2+3",
        "@SUM(A1:A2)",
        "\t=cmd",
        "\r=cmd",
        '=HYPERLINK("http://example.invalid","x")',
        "\u202e=1+1",  # right-to-left override in front
        "\u200b@x",  # zero width space in front
        "\ufeff=1",  # byte order mark in front
        "  \u00a0=1",  # spaces and a no-break space in front
        "\x01-1",  # a control character in front
    ],
)
def test_formula_cells_are_quoted(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Smith", "1 Test Street", "a=b", "x-y", "", "2024-01-01", "é=1"])
def test_ordinary_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_nul_bytes_are_removed_and_none_is_empty():
    assert safe_cell("Sm\x00ith") == "Smith"
    assert safe_cell("\x00=1") == "'=1"
    assert safe_cell(None) == ""
    assert safe_cell(5) == "5"


def test_rows_read_back_as_text():
    text = to_text([["=1+1", "plain", None]], header=["a", "b", "c"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["a", "b", "c"], ["'=1+1", "plain", ""]]


def test_response_is_an_attachment():
    response = csv_response("x.csv", [["@evil"]], ["h"])
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    body = response.content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(body))) == [["h"], ["'@evil"]]


@pytest.mark.parametrize("value, text", [(-2, "-2"), (0.25, "0.25"), (3, "3")])
def test_numbers_are_written_as_numbers(value, text):
    assert safe_cell(value) == text
    assert safe_cell(str(value)) in (text, "'" + text)  # the same text typed in is still guarded
