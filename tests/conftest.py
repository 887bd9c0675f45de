"""Shared fixtures: empty projects, the sample county, small file writers."""

from __future__ import annotations

import csv
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from storage_backends import (  # noqa: F401 - fixtures: SQLite and PostgreSQL (see that module)
    backend_project,
    backend_sample_project,
    pg_sample_template,
    pg_server,
    pg_url,
    store_url,
)

from balancesheet.errors import ImportRejected
from balancesheet.importer import import_file
from balancesheet.project import Project
from balancesheet.sample import load_sample

SAMPLE_REGION = "990121"


def external_tool(*names: str) -> str:
    """Path of an external program (pdffonts, soffice …) a test needs.

    Under CI (CI=true) a missing tool fails the test: .ci/run installs them, so absence is a
    broken set-up, never a silent skip. On a developer machine it skips with the reason shown.
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{' / '.join(names)} not installed (Debian: see .ci/run)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
    raise AssertionError  # unreachable


def write_csv(path: Path, header: Sequence[str], rows: Sequence[Sequence[object]],
              encoding: str = "utf-8") -> Path:
    """Write a small CSV test file and return its path."""
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]]) -> Path:
    """Write a workbook with the given sheets (rows of values) and return its path."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, sheet_rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in sheet_rows:
            ws.append(list(row))
    wb.save(path)
    return path


TABLES = ("stock", "flow", "target", "official", "region", "import_batch", "change_log", "period")


def snapshot(project: Project) -> dict[str, list[tuple]]:
    """Every row of every table (sorted), for before/after comparison."""
    from sqlalchemy import inspect

    names = inspect(project.store.engine).get_table_names()
    out = {}
    for name in names:
        frame = project.store.read_sql(f'SELECT * FROM "{name}"')
        frame = frame.astype(object).where(frame.notna(), None)
        out[name] = sorted((tuple(r) for r in frame.itertuples(index=False)), key=repr)
    assert set(TABLES) <= set(out)
    return out


def rejected(project: Project, path: Path, **kwargs: object) -> ImportRejected:
    """Import ``path`` expecting ImportRejected (not any other exception); nothing may change."""
    before = snapshot(project)
    with pytest.raises(ImportRejected) as exc:
        import_file(project, path, **kwargs)  # type: ignore[arg-type]
    assert snapshot(project) == before
    return exc.value


def rows(project: Project, sql: str) -> list[tuple]:
    """Result rows of ``sql`` as tuples, None for missing values."""
    frame = project.store.read_sql(sql)
    frame = frame.astype(object).where(frame.notna(), None)
    return [tuple(r) for r in frame.itertuples(index=False)]


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Project]:
    """An empty project with one region 990001 (area 1,000 ha) and no data."""
    p = Project.open(tmp_path / "empty.db", create=True)
    import_file(p, write_csv(tmp_path / "regions.csv", ["region", "name", "area", "unit"],
                             [["990001", "测试县", "1000", "公顷"]]))
    yield p
    p.close()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file holding the sample county, built once per test session (read-only use)."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    p = Project.open(path, create=True)
    load_sample(p)
    with p.store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    p.close()
    return path


@pytest.fixture
def sample_project(sample_db: Path, tmp_path: Path) -> Iterator[Project]:
    """A private, writable copy of the sample county project."""
    copy = tmp_path / "sample.db"
    shutil.copy(sample_db, copy)
    p = Project.open(copy)
    yield p
    p.close()
