"""Crash safety (issue 7, item 1): real processes killed with SIGKILL at random points.

Four operations run in a child process (tests/crash_worker.py) that is killed at chosen
moments: a large import (200,000 land change records), a report (``balancesheet sheet``,
workbook and PDF), the migration of a large file of the first schema, and one ``set_stocks``
call changing 585 cells. After each kill the file must open with ``Project.open``, pass
``PRAGMA integrity_check`` and ``foreign_key_check``, and hold exactly the state before the
operation or, when the kill came after the commit, exactly the state after it: every row of
every table compared in SQL (row counts, and the rows with EXCEPT) with the file before and with
the file one complete run left, the clock columns ``change_log.at`` and ``import_batch.imported_at``
left out (two complete runs differ only there). A commit the child has reported must survive
the kill. A killed report leaves the database unchanged and, under the names asked for, nothing or
the complete workbook and PDF (equal to a complete run's). A killed migration leaves a file that
opens (migrating it then), with the old file's rows; every dated backup copy under its final name
is the whole old file, and a migrated file always has one.

How the kill points are chosen: one run of the operation to its end measures ``T``, the time
from ``go`` (the operation starts) to ``closed`` (the project closed). The kill delays are then
spread over 0 … 1.1·T in equal slices, one seeded random point in each slice, so kills land
before the write starts (reading and validating), during it, around the commit, during the close
(WAL checkpoint) and after the end; writing operations get one more kill the instant the child
reports its commit (it lands in the close), the migration one more the instant its backup copy is
written (it lands in the short migration transaction), the report two: as the PDF starts (the
workbook is written but not yet renamed) and at the end. Measuring on the machine that runs the
test keeps the spread right on a slow or busy machine. The seeds are fixed, so a failure names
the delay. Kill points: 11 (import), 12 (report), 12 (migration), 11 (edit) — 46 in all.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import random
import re
import shutil
import signal
import sqlite3
import time
import zipfile
from contextlib import closing
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

import crash_worker
import pytest

from balancesheet.project import Project
from balancesheet.store.schema import SCHEMA_VERSION

CTX = multiprocessing.get_context("forkserver")
SPREAD = 1.1  # kill delays cover 0 … SPREAD × the measured duration
CLOCK_COLUMNS = frozenset({"at", "imported_at"})
IMPORT_RECORDS = 200_000
MIGRATION_ROWS = 100_000  # flows and change-log entries in the old file (≈ 15 MB)
REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module", autouse=True)
def _fork_server() -> None:
    CTX.set_forkserver_preload(crash_worker.PRELOAD)


# ----------------------------------------------------------------------------------------------
# Running and killing a child


@dataclass
class Run:
    """One child process: the events it reported (seconds after ``go``) and when it was killed."""

    operation: str
    delay: float | None  # the planned kill, seconds after go (None: at ``at_event``)
    at_event: str = ""
    events: dict[str, float] = field(default_factory=dict)
    killed_at: float = 0.0

    def phase(self) -> str:
        """Where the kill landed, as far as the child's reports tell: after its last event."""
        return "after " + max(self.events, key=lambda event: self.events[event])

    def describe(self) -> str:
        """The run, for assertion messages."""
        planned = f"at {self.at_event}" if self.delay is None else f"{self.delay:.3f} s"
        seen = ", ".join(f"{k} {v:.3f} s" for k, v in self.events.items())
        return f"{self.operation}: kill planned {planned}, sent {self.killed_at:.3f} s; events: {seen}"


def _receive(conn: Connection, run: Run, go: float | None, timeout: float) -> float | None:
    """Read one event within ``timeout``; return the time of ``go`` (once known)."""
    if not conn.poll(timeout):
        return go
    try:
        event, at = conn.recv()
    except EOFError:
        return go
    if event == "error":
        raise AssertionError(f"{run.operation} failed in the child:\n{at}")
    go = at if event == "go" else go
    run.events[event] = at - (go or at)
    return go


def run_and_kill(operation: str, kwargs: dict[str, str], delay: float | None = None,
                 at_event: str = "committed") -> Run:
    """Start ``operation`` in a child, SIGKILL it ``delay`` s after ``go`` (None: at ``at_event``)."""
    run = Run(operation, delay, at_event)
    receiver, sender = CTX.Pipe(duplex=False)
    child = CTX.Process(target=crash_worker.run, args=(operation, kwargs, sender), daemon=True)
    child.start()
    sender.close()
    try:
        go = None
        limit = time.monotonic() + 120
        while go is None and time.monotonic() < limit and child.is_alive():
            go = _receive(receiver, run, go, 0.5)
        assert go is not None, f"{operation}: the child never started ({run.describe()})"
        while child.is_alive() and time.monotonic() < limit:
            if delay is None:
                if at_event in run.events:
                    break
                _receive(receiver, run, go, 0.5)
            else:
                left = go + delay - time.monotonic()
                if left <= 0:
                    break
                _receive(receiver, run, go, left)
        run.killed_at = time.monotonic() - go
        child.kill()
        child.join(30)
        while receiver.poll(0):  # what the child said before it died
            try:
                event, at = receiver.recv()
            except EOFError:
                break
            if event == "error":
                raise AssertionError(f"{operation} failed in the child:\n{at}")
            if at - go <= run.killed_at:
                run.events[event] = at - go
    finally:
        receiver.close()
        if child.is_alive():
            child.kill()
            child.join(30)
    assert child.exitcode == -signal.SIGKILL, f"the child was not killed ({child.exitcode}): {run.describe()}"
    return run


def kill_delays(duration: float, count: int, seed: int) -> list[float]:
    """``count`` delays: one seeded random point in each of ``count`` equal slices of 0 … SPREAD·duration."""
    rng = random.Random(seed)
    width = SPREAD * duration / count
    return [width * (i + rng.random()) for i in range(count)]


# ----------------------------------------------------------------------------------------------
# What a file holds


def _read_only(path: Path) -> str:
    # immutable: nothing is created beside the file; only right for a closed file (no WAL left)
    assert not Path(f"{path}-wal").exists(), f"{path.name} is still open or was not recovered"
    return f"{path.as_uri()}?mode=ro&immutable=1"


def table_columns(path: Path) -> dict[str, list[str]]:
    """Every table of the closed file ``path`` and its columns."""
    with closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {n: [r[1] for r in conn.execute(f'PRAGMA table_info("{n}")')] for n in names}


def differences(path: Path, other: Path, skip: frozenset[str] = CLOCK_COLUMNS, migrated: bool = False) -> list[str]:
    """The tables whose rows differ between the closed files ``path`` and ``other``; [] when equal.

    Compared exactly in SQL (the row counts, and the rows with EXCEPT) over the tables and columns
    of ``other``, ``skip`` columns left out. ``migrated``: ``path`` is ``other`` migrated, so it may
    have more tables and columns, and ``meta`` (the schema version) is not compared.
    """
    theirs, mine = table_columns(other), table_columns(path)
    out = [f"{t} (missing)" for t in sorted(set(theirs) - set(mine))]
    if not migrated:
        out += [f"{t} (not in {other.name})" for t in sorted(set(mine) - set(theirs))]
    with closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
        conn.execute("ATTACH DATABASE ? AS other", (_read_only(other),))
        for table, columns in theirs.items():
            if table not in mine or migrated and table == "meta":
                continue
            cols = ", ".join(f'"{c}"' for c in columns if c not in skip)
            counts = [conn.execute(f'SELECT count(*) FROM {db}."{table}"').fetchone()[0] for db in ("main", "other")]
            # Every table has a primary key (never skipped), so no row is there twice: one EXCEPT
            # and equal counts mean the same rows.
            unmatched = conn.execute(f'SELECT count(*) FROM (SELECT {cols} FROM main."{table}" '
                                     f'EXCEPT SELECT {cols} FROM other."{table}")').fetchone()[0]
            if counts[0] != counts[1] or unmatched:
                out.append(f"{table} ({counts[0]} rows, {counts[1]} in {other.name}; {unmatched} not there)")
    return out


def rows_in(path: Path, table: str) -> int:
    """The number of rows of ``table`` in the closed file ``path``."""
    with closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
        return conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]


def open_and_check(path: Path) -> None:
    """The file opens as a project (recovering or migrating it) and SQLite finds no damage."""
    project = Project.open(path)
    try:
        with project.store.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    finally:
        project.close()


def remove_db(path: Path) -> None:
    """The file and its WAL companions (the runs' copies use much disk otherwise)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def summary(name: str, runs: list[Run], states: list[str]) -> str:
    """A line for the test output: how many kills landed where and what they left."""
    phases: dict[str, int] = {}
    for run in runs:
        phases[run.phase()] = phases.get(run.phase(), 0) + 1
    outcome = {s: states.count(s) for s in sorted(set(states))}
    return f"{name}: {len(runs)} kills {phases} → {outcome}"


# ----------------------------------------------------------------------------------------------
# 1. A large import


def _landgen():  # noqa: ANN202 - bench/landgen.py generates consistent change records and stocks
    spec = importlib.util.spec_from_file_location("landgen", REPO / "bench" / "landgen.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


@pytest.fixture(scope="module")
def import_base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project with the region and the stocks, and a CSV of 200,000 change records for it."""
    from balancesheet.importer import import_file

    landgen = _landgen()
    folder = tmp_path_factory.mktemp("import")
    base = folder / "base.db"
    project = Project.open(base, create=True)
    leaves = landgen.land_leaves(project)
    records = landgen.land_records(IMPORT_RECORDS, leaves)
    for file in landgen.write_context(folder, records, leaves):
        import_file(project, file)
    with project.store.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    project.close()
    changes = folder / "changes.csv"
    landgen.write_csv(records, changes)
    return base, changes


def test_killed_import_leaves_the_state_before_or_the_whole_import(
        import_base: tuple[Path, Path], tmp_path: Path) -> None:
    base, changes = import_base
    assert rows_in(base, "flow") == 0
    complete = tmp_path / "complete.db"
    shutil.copy(base, complete)
    measured = run_and_kill("import_changes", {"db": str(complete), "file": str(changes)}, None, "closed")
    open_and_check(complete)
    assert rows_in(complete, "flow") == IMPORT_RECORDS
    assert rows_in(complete, "import_batch") == rows_in(base, "import_batch") + 1
    plan: list[float | None] = [*kill_delays(measured.events["closed"], 10, seed=71), None]
    runs, states = [], []
    for k, delay in enumerate(plan):
        db = tmp_path / f"run{k}.db"
        shutil.copy(base, db)
        run = run_and_kill("import_changes", {"db": str(db), "file": str(changes)}, delay)
        open_and_check(db)
        if differences(db, base):
            assert differences(db, complete) == [], f"partial import after the kill: {run.describe()}"
            states.append("complete")
        else:
            assert "committed" not in run.events, f"a committed import was lost: {run.describe()}"
            states.append("before")
        runs.append(run)
        remove_db(db)
    print(summary("import of 200,000 change records", runs, states))
    assert {"before", "complete"} <= set(states), states  # kills landed on both sides of the commit


# ----------------------------------------------------------------------------------------------
# 2. A report


def workbook_values(path: Path) -> dict[str, list[tuple]]:
    """Every sheet's cell values."""
    import openpyxl

    with zipfile.ZipFile(path) as archive:
        assert archive.testzip() is None
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb.worksheets}
    finally:
        wb.close()


def test_killed_report_changes_nothing_and_leaves_no_half_written_file(sample_db: Path, tmp_path: Path) -> None:
    before = shutil.copy(sample_db, tmp_path / "before.db")  # a private copy: nothing else opens it
    reference = tmp_path / "reference"
    reference.mkdir()
    shutil.copy(before, reference / "p.db")
    args = {"db": str(reference / "p.db"), "xlsx": str(reference / "r.xlsx"), "pdf": str(reference / "r.pdf")}
    measured = run_and_kill("balance_sheet", args, None, "closed")
    expected_xlsx = workbook_values(reference / "r.xlsx")
    expected_pdf = (reference / "r.pdf").read_bytes()
    runs, states = [], []
    # and two kills at events: as the PDF starts (the workbook written, not yet renamed) and at the end
    plan: list[tuple[float | None, str]] = [
        *((delay, "") for delay in kill_delays(measured.events["closed"], 10, seed=72)), (None, "pdf"),
        (None, "closed")]
    for k, (delay, at_event) in enumerate(plan):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        db = folder / "p.db"
        shutil.copy(before, db)
        args = {"db": str(db), "xlsx": str(folder / "r.xlsx"), "pdf": str(folder / "r.pdf")}
        run = run_and_kill("balance_sheet", args, delay, at_event)
        open_and_check(db)
        assert differences(db, before, frozenset()) == [], f"a report changed the database: {run.describe()}"
        written = []
        if (folder / "r.xlsx").exists():
            assert workbook_values(folder / "r.xlsx") == expected_xlsx, f"half-written workbook: {run.describe()}"
            written.append("xlsx")
        if (folder / "r.pdf").exists():
            assert (folder / "r.pdf").read_bytes() == expected_pdf, f"half-written PDF: {run.describe()}"
            written.append("pdf")
        others = {p.name for p in folder.iterdir()} - {"p.db", "p.db-wal", "p.db-shm", "r.xlsx", "r.pdf"}
        assert all(re.fullmatch(r"\.r\.(xlsx|pdf)\.[0-9a-f]+\.partial", n) for n in others), others
        runs.append(run)
        states.append("+".join(written) or "nothing written")
    print(summary("balance-sheet report", runs, states))
    assert states[-2:] == ["nothing written", "xlsx+pdf"], states


def test_a_failing_report_leaves_nothing_in_the_folder(sample_project: Project, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """The same guarantee without a kill: the PDF fails after the workbook was written."""
    from balancesheet.reports import pdf
    from balancesheet.reports.render import balance_sheet_report

    def broken(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "render_pdf", broken)
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(OSError, match="No space"):
        balance_sheet_report(sample_project, crash_worker.SAMPLE_REGION, 2025, out / "r.xlsx", out / "r.pdf")
    assert list(out.iterdir()) == []


# ----------------------------------------------------------------------------------------------
# 3. A migration of a file of the first released schema


BACKUP_NAME = re.compile(r"old\.backup-(\d{8})-(\d{6})-v1\.db")
BACKUP_PART = re.compile(r"old\.backup-\d{8}-\d{6}-v1\.db\.partial(-journal)?")


def _schema_version(path: Path) -> int:
    with closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
        return int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])


def _committed_version(path: Path) -> int:
    """The schema version a killed file holds, read from a copy (recovering it changes files)."""
    probe = path.parent.parent / f"probe-{path.parent.name}"
    probe.mkdir()
    try:
        for suffix in ("", "-wal", "-journal"):
            if Path(f"{path}{suffix}").exists():
                shutil.copy(f"{path}{suffix}", probe / f"{path.name}{suffix}")
        with closing(sqlite3.connect(probe / path.name)) as conn:
            return int(conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0])
    finally:
        shutil.rmtree(probe)


def _facts(path: Path) -> list[tuple]:
    """The rows of ``meta`` but the schema version (which a migration changes)."""
    with closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
        return conn.execute("SELECT key, value FROM meta WHERE key != 'schema_version' ORDER BY key").fetchall()


@pytest.fixture(scope="module")
def old_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/fixtures/schema_v1.sql with 100,000 more flows and change-log entries (a slow copy)."""
    path = tmp_path_factory.mktemp("v1") / "old.db"
    with closing(sqlite3.connect(path)) as conn:
        conn.executescript((REPO / "tests" / "fixtures" / "schema_v1.sql").read_text(encoding="utf-8"))
        series = "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ?) "
        conn.execute("INSERT INTO flow (region_code, year, resource, from_item, to_item, cause, value, batch_id) "
                     + series + "SELECT '990001', 2021, 'land', '0101', '0301', 'ECO', (i % 50) / 100.0 + 0.01, 4 "
                     "FROM k", (MIGRATION_ROWS,))
        conn.execute('INSERT INTO change_log (at, user, action, entity, "key", old, new) '
                     + series + "SELECT '2026-11-23 20:36:25', 'root', 'edit', 'stock', "
                     "'{\"row\": ' || i || '}', '1.0', '2.0' FROM k", (MIGRATION_ROWS,))
        conn.commit()
    assert _schema_version(path) == 1
    return path


def backups_intact(folder: Path, old: Path, checked: list[bytes]) -> list[str]:
    """The dated backup copies in ``folder``; each must be the old file, whole and unchanged.

    ``checked`` holds the bytes of one backup found intact: a byte-identical copy needs no second look.
    """
    names = sorted(p.name for p in folder.iterdir() if BACKUP_NAME.fullmatch(p.name))
    for name in names:
        path = folder / name
        if checked and path.read_bytes() == checked[0]:
            continue
        with closing(sqlite3.connect(_read_only(path), uri=True)) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", name
        assert _schema_version(path) == 1, name
        assert differences(path, old, frozenset()) == [], f"backup {name} differs from the old file"
        checked[:] = [path.read_bytes()]
    return names


def test_killed_migration_leaves_a_file_that_opens_with_its_data_and_an_intact_backup(
        old_file: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference"
    reference.mkdir()
    shutil.copy(old_file, reference / "old.db")
    measured = run_and_kill("migrate", {"db": str(reference / "old.db")}, None, "closed")
    checked: list[bytes] = []
    assert _schema_version(reference / "old.db") == SCHEMA_VERSION and backups_intact(reference, old_file, checked)
    # and one kill the moment the backup copy is written: in the short migration transaction
    plan: list[float | None] = [*kill_delays(measured.events["closed"], 10, seed=73), None, None]
    runs, states = [], []
    for k, delay in enumerate(plan):
        folder = tmp_path / f"run{k}"
        folder.mkdir()
        db = folder / "old.db"
        shutil.copy(old_file, db)
        run = run_and_kill("migrate", {"db": str(db)}, delay, "migrating" if k == len(plan) - 1 else "committed")
        made = backups_intact(folder, old_file, checked)  # as the kill left them, before anything else runs
        unfinished = any(BACKUP_PART.fullmatch(p.name) for p in folder.iterdir())
        migrated = _committed_version(db) == SCHEMA_VERSION
        if migrated:
            assert made, f"migrated without a backup copy: {run.describe()}"
        if "committed" in run.events:
            assert migrated, f"a committed migration was lost: {run.describe()}"
        open_and_check(db)  # migrates now when the kill came before the commit
        assert _schema_version(db) == SCHEMA_VERSION
        changed = differences(db, old_file, frozenset(), migrated=True)
        assert changed == [], f"data changed: {changed}; {run.describe()}"
        assert _facts(db) == _facts(old_file)
        kept = backups_intact(folder, old_file, checked)
        assert kept, "no backup copy after the migration"
        others = {p.name for p in folder.iterdir()} - {"old.db", *kept}
        assert all(BACKUP_PART.fullmatch(n) for n in others), others  # an unfinished copy, never under the name
        runs.append(run)
        states.append("migrated" if migrated else "old version" + (", copy unfinished" if unfinished else ""))
        shutil.rmtree(folder)
    print(summary(f"migration v1 → v{SCHEMA_VERSION} of a file of 2 × {MIGRATION_ROWS:,} rows", runs, states))
    assert "migrated" in states and any(s.startswith("old version") for s in states), states


# ----------------------------------------------------------------------------------------------
# 4. An edit of many cells in one call


def test_killed_edit_of_many_cells_is_all_or_nothing(sample_db: Path, tmp_path: Path) -> None:
    before = shutil.copy(sample_db, tmp_path / "before.db")  # a private copy: nothing else opens it
    complete = shutil.copy(before, tmp_path / "complete.db")
    measured = run_and_kill("edit_stocks", {"db": str(complete)}, None, "closed")
    open_and_check(complete)
    cells = len(crash_worker.stock_edits())
    assert rows_in(complete, "change_log") - rows_in(before, "change_log") == cells  # every value changes
    plan: list[float | None] = [*kill_delays(measured.events["closed"], 10, seed=74), None]
    runs, states = [], []
    for k, delay in enumerate(plan):
        db = shutil.copy(before, tmp_path / f"run{k}.db")
        run = run_and_kill("edit_stocks", {"db": str(db)}, delay)
        open_and_check(db)
        if differences(db, before):
            assert differences(db, complete) == [], f"a part of the edit survived: {run.describe()}"
            states.append("complete")
        else:
            assert "committed" not in run.events, f"a committed edit was lost: {run.describe()}"
            states.append("before")
        runs.append(run)
        remove_db(db)
    print(summary(f"set_stocks of {cells} cells", runs, states))
    assert {"before", "complete"} <= set(states), states


def test_kill_delays_cover_the_whole_operation_and_beyond() -> None:
    delays = kill_delays(2.0, 10, seed=1)
    assert delays == sorted(delays) and len(delays) == 10
    assert 0 <= delays[0] < 0.22 and 1.98 <= delays[-1] < 2.2  # the last slice ends 10 % after the end
    assert kill_delays(2.0, 10, seed=1) == delays  # seeded: the same points every run
