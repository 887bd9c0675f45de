"""The fast CSV path (Arrow) reads every file exactly as the pandas parser it replaced does."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from balancesheet.importer.readers import _parse_csv, _parse_csv_arrow

CELL = st.one_of(st.text(alphabet=st.sampled_from(list("01a 地类，,\"\n\t;.-０\u3000")), max_size=6),
                 st.sampled_from(["NA", "null", "nan", "N/A", "", "0101"]))


def _pandas(text: str, sep: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, header=None,
                       skip_blank_lines=False, sep=sep, engine="c")


def _csv(rows: list[list[str]], sep: str) -> str:
    def quote(cell: str) -> str:
        needs = any(ch in cell for ch in (sep, '"', "\n", "\r")) or cell != cell.strip(" ")
        return '"' + cell.replace('"', '""') + '"' if needs else cell

    return "".join(sep.join(quote(c) for c in row) + "\n" for row in rows)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 5).flatmap(lambda n: st.lists(st.lists(CELL, min_size=n, max_size=n), min_size=1,
                                                    max_size=8)),
       st.sampled_from([",", "\t", ";"]))
def test_arrow_reads_what_pandas_reads(rows: list[list[str]], sep: str) -> None:
    text = sep.join(f"c{i}" for i in range(len(rows[0]))) + "\n" + _csv(rows, sep)
    expected = _pandas(text, sep)
    got = _parse_csv_arrow(text, sep)
    assert got is not None, text
    assert got.shape == expected.shape
    assert got.to_numpy().tolist() == expected.to_numpy().tolist()


def test_codes_keep_their_leading_zeros_and_blank_lines_their_numbers() -> None:
    frame = _parse_csv("from,to,area\n0101,0201,1.5\n\n101,0102,2\n", "t.csv")
    assert frame.loc[2].tolist() == ["0101", "0201", "1.5"]
    assert frame.loc[3].tolist() == ["", "", ""]  # a blank line keeps its place: line 4 is row 4
    assert frame.loc[4].tolist() == ["101", "0102", "2"]


def test_rows_of_different_lengths_fall_back_to_pandas() -> None:
    text = "a,b,c\n1,2\n3,4,5\n"
    assert _parse_csv_arrow(text, ",") is None
    frame = _parse_csv(text, "t.csv")
    assert frame.loc[2].tolist() == ["1", "2", ""]


def test_too_many_fields_still_rejected_with_the_file_name() -> None:
    from balancesheet.errors import ImportRejected

    with pytest.raises(ImportRejected, match="t.csv"):
        _parse_csv("a,b\n1,2,3\n", "t.csv")
