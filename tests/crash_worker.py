"""The operations tests/test_crash.py runs in a child process and kills with SIGKILL.

The children are forked by a ``multiprocessing`` fork server started with ``sys.executable``
that has imported :data:`PRELOAD` once, so each child starts at once and the kills land in the
operation, not in Python's start-up. Each operation reports through a pipe ``(event, time)``
with ``time.monotonic()`` (one clock for every process on the machine):

- ``go``: the operation starts now (the kill delays count from here);
- stages on the way: ``writing`` (an import's or an edit's first write), ``backup`` and ``migrating``
  (a migration's copy starts, and ends), ``data``, ``workbook`` and ``pdf`` (a report's stages);
- ``committed``: its transaction is committed (writing operations only);
- ``closed``: the project is closed, the operation is over.

Then the child waits to be killed, so every kill point is a real SIGKILL of a live process.
An operation that fails sends ``error`` with the traceback and exits with code 1.
"""

from __future__ import annotations

import contextlib
import io
import time
import traceback
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path

PRELOAD = [
    "crash_worker", "pandas", "pyarrow.csv", "sqlalchemy", "openpyxl", "reportlab.platypus",
    "balancesheet.project", "balancesheet.importer", "balancesheet.editing", "balancesheet.cli",
    "balancesheet.cli.commands", "balancesheet.reports.render", "balancesheet.reports.filler",
    "balancesheet.reports.balance_sheet", "balancesheet.reports.pdf",
]

SAMPLE_REGION = "990121"
EDIT_YEARS = range(2019, 2024)  # 2019–2020 new cells, 2021–2023 change the sample's values


def _say(report: Connection, event: str) -> None:
    report.send((event, time.monotonic()))


def import_changes(report: Connection, db: str, file: str) -> None:
    """Import one file of land change records (one transaction)."""
    from balancesheet.importer import import_file
    from balancesheet.project import Project

    def progress(fraction: float, _message: str) -> None:
        if fraction > 0 and "writing" not in said:  # validated: the write transaction starts
            said.add("writing")
            _say(report, "writing")

    said: set[str] = set()
    _say(report, "go")
    project = Project.open(db)
    import_file(project, Path(file), progress=progress)
    _say(report, "committed")
    project.close()


def balance_sheet(report: Connection, db: str, xlsx: str, pdf: str) -> None:
    """``balancesheet sheet DB --region R --year 2025 -o XLSX --pdf PDF`` (reads only)."""
    from balancesheet.cli import main

    class Stages(io.StringIO):
        """The command's progress lines (stderr) as events: data, workbook, pdf."""

        def write(self, text: str) -> int:
            for event, start in (("data", "计算"), ("workbook", "填写模板"), ("pdf", "生成 PDF")):
                if text.startswith(start):
                    _say(report, event)
            return super().write(text)

    _say(report, "go")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(Stages()) as err:
        code = main(["sheet", db, "--region", SAMPLE_REGION, "--year", "2025", "-o", xlsx, "--pdf", pdf,
                     "--date", "2026-01-15"])
    if code != 0:
        raise RuntimeError(f"balancesheet sheet exited with {code}: {err.getvalue()}")


def migrate(report: Connection, db: str) -> None:
    """Open a file of an older schema: backup copy, then migration (one transaction)."""
    from balancesheet.project import Project
    from balancesheet.store import db as store_db

    copy = store_db.copy_database

    def observed_copy(source: Path, destination: Path) -> Path:  # the same copy, with events around it
        _say(report, "backup")
        written = copy(source, destination)
        _say(report, "migrating")
        return written

    store_db.copy_database = observed_copy
    _say(report, "go")
    project = Project.open(db)
    _say(report, "committed")
    project.close()


def stock_edits(region: str = SAMPLE_REGION) -> list:
    """Every editable item of every resource in :data:`EDIT_YEARS`, with made-up values."""
    from balancesheet.catalog import load_catalog
    from balancesheet.editing import StockEdit, editable_items

    edits = []
    for resource, account in load_catalog().accounts.items():
        for k, item in enumerate(sorted(editable_items(account))):
            edits += [StockEdit(region, year, resource, item, float((year * 31 + k) % 997) + 0.25)
                      for year in EDIT_YEARS]
    return edits


def edit_stocks(report: Connection, db: str) -> None:
    """One ``set_stocks`` call changing many cells (one transaction)."""
    from balancesheet.editing import set_stocks
    from balancesheet.project import Project

    edits = stock_edits()
    _say(report, "go")
    project = Project.open(db)
    log = project.store.log

    def observed_log(*args: object, **kwargs: object) -> None:  # the first change log entry: writing
        if not said:
            said.append("writing")
            _say(report, "writing")
        log(*args, **kwargs)  # type: ignore[arg-type]

    said: list[str] = []
    project.store.log = observed_log  # type: ignore[method-assign]
    set_stocks(project, edits)
    _say(report, "committed")
    project.close()


OPERATIONS: dict[str, Callable[..., None]] = {
    "import_changes": import_changes, "balance_sheet": balance_sheet, "migrate": migrate,
    "edit_stocks": edit_stocks,
}


def run(operation: str, kwargs: dict[str, str], report: Connection) -> None:
    """Child process entry point: run ``operation``, then wait to be killed."""
    try:
        OPERATIONS[operation](report, **kwargs)
    except BaseException:  # noqa: BLE001 - the parent shows it
        report.send(("error", traceback.format_exc()))
        raise SystemExit(1) from None
    _say(report, "closed")
    time.sleep(600)
