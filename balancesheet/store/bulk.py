"""Bulk loading into PostgreSQL with COPY: a million imported rows in seconds, not minutes.

psycopg's ``executemany`` sends the rows one statement at a time (about 30 µs each on loopback);
``COPY … FROM STDIN`` streams them. The rows are encoded to COPY's text format column by column
(vectorised): fields separated by tabs, ``\\N`` for a missing value, and backslash, tab, newline
and carriage return inside a text escaped, so every text arrives exactly as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

CHUNK = 50_000
_SPECIAL = r"[\\\t\n\r]"
_ESCAPES = (("\\", "\\\\"), ("\t", "\\t"), ("\n", "\\n"), ("\r", "\\r"))


def copy_text(frame: pd.DataFrame) -> str:
    """``frame``'s rows in PostgreSQL's COPY text format (numbers as shortest exact decimals)."""
    line: Any = None
    for name in frame.columns:
        column = frame[name]
        if pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column):
            text = column.to_numpy().astype(str).astype(object)  # repr-exact: '0.1', '2021'
        else:
            strings = column.astype(object).where(column.notna(), "").astype(str)
            if strings.str.contains(_SPECIAL, regex=True).any():
                for raw, escaped in _ESCAPES:
                    strings = strings.str.replace(raw, escaped, regex=False)
            text = strings.to_numpy(dtype=object)
        if column.hasnans:
            text[column.isna().to_numpy()] = "\\N"
        line = text if line is None else line + "\t" + text
    return "\n".join(line.tolist()) + "\n"


def copy_into(conn: Any, table: str, frame: pd.DataFrame,
              progress: Callable[[float, str], None] | None = None) -> int:
    """COPY ``frame`` (columns named as the table's) into ``table`` on a psycopg connection of
    SQLAlchemy ``conn``, inside its transaction; the number of rows."""
    quote = conn.dialect.identifier_preparer.quote
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in frame.columns)}) FROM STDIN"
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(sql) as copy:
        for start in range(0, len(frame), CHUNK):
            copy.write(copy_text(frame.iloc[start:start + CHUNK]))
            if progress:
                done = min(start + CHUNK, len(frame))
                progress(done / len(frame), f"写入 {done:,} / {len(frame):,} 行")
    return len(frame)
