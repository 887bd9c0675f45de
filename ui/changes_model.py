"""The land change records (resource 'land' flows) as a lazy table model, after Anki's browser.

The model holds only the sorted row ids (a numpy array from one SQL query that sorts and filters
in the database) and fetches the contents of the rows a view shows, a block at a time by id, into a
small cache. Sorting and filtering run the id query again in a worker thread; the old rows stay on
screen until the new ids arrive, so the window never waits on the database.
"""

from __future__ import annotations

from collections import OrderedDict
from contextlib import closing
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal

from balancesheet.safe_text import to_tsv
from balancesheet.units import convert
from ui.formatting import format_number
from ui.tasks import Task, TaskState, run_task

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from balancesheet.catalog import Account
    from ui.context import AppContext

YEAR, FROM, TO, CAUSE, AREA, BATCH = range(6)
COLUMNS = 6
BLOCK = 128           # rows fetched per query
CACHED_BLOCKS = 64    # blocks kept (8,192 rows)
CHUNK = 50_000        # ids read per fetchmany, between cancellation checks
RAW_ROLE = Qt.ItemDataRole.UserRole  # the raw value (area in the shown unit, codes, year)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ChangeQuery:
    """Which land change records to show and in what order.

    ``codes`` None means no class filter; otherwise a record is shown when its from or to class is
    among them (an empty tuple matches nothing). ``year`` 0 and ``cause`` "" mean all.
    """

    region: str
    year: int = 0
    cause: str = ""
    codes: tuple[str, ...] | None = None
    sort_column: int = YEAR
    descending: bool = False


class ChangeSql:
    """Builds the SQL of the land change records for one catalog and the batch file names.

    Placeholders are written as ``?`` and converted for the driver (``%s`` for psycopg).
    """

    def __init__(self, account: Account, batch_names: dict[int, str], paramstyle: str = "qmark",
                 dialect: str = "sqlite"):
        self.account = account
        self.batch_names = batch_names
        self.cause_order = list(account.causes)
        self.paramstyle = paramstyle
        self.dialect = dialect

    def _table(self, query: ChangeQuery, ordered: bool = True) -> str:
        # A county's project holds mostly its own records, so without a year the (region,
        # resource, year) index selects nearly every row and reading them through it costs more
        # than one sequential scan (SQLite has no statistics unless ANALYZE ran): 1.0 s instead of
        # 1.4 s to sort a million records by area. The index still serves a year and year order.
        use_index = bool(query.year) or (ordered and query.sort_column == YEAR)
        return "flow" if use_index or self.dialect != "sqlite" else "flow NOT INDEXED"

    def _sql(self, text: str) -> str:
        return text.replace("?", "%s") if self.paramstyle in ("format", "pyformat") else text

    def where(self, query: ChangeQuery) -> tuple[str, list[Any]]:
        """The WHERE clause selecting the query's records, and its parameters."""
        clause = "region_code = ? AND resource = 'land'"
        params: list[Any] = [query.region]
        if query.year:
            clause += " AND year = ?"
            params.append(int(query.year))
        if query.cause:
            clause += " AND cause = ?"
            params.append(query.cause)
        if query.codes is not None:
            if not query.codes:
                return clause + " AND 1 = 0", params
            marks = ", ".join("?" * len(query.codes))
            clause += f" AND (from_item IN ({marks}) OR to_item IN ({marks}))"
            params += list(query.codes) * 2
        return clause, params

    def order_by(self, query: ChangeQuery) -> tuple[str, list[Any]]:
        """The ORDER BY clause (ties broken by id, in the same direction) and its parameters."""
        direction = " DESC" if query.descending else ""
        params: list[Any] = []
        if query.sort_column == CAUSE:
            key = self._rank("cause", self.cause_order, params)
        elif query.sort_column == BATCH:
            ranked = sorted(self.batch_names, key=lambda b: (self.batch_names[b], b))
            key = self._rank("batch_id", ranked, params)
        else:
            key = {YEAR: "year", FROM: "from_item", TO: "to_item", AREA: "value"}[query.sort_column]
            if query.sort_column in (FROM, TO) and self.dialect != "sqlite":
                # an empty side sorts as on SQLite: first ascending, last descending
                nulls = " NULLS LAST" if query.descending else " NULLS FIRST"
                return f"{key}{direction}{nulls}, id{direction}", params
        return f"{key}{direction}, id{direction}", params

    @staticmethod
    def _rank(column: str, ordered: list[Any], params: list[Any]) -> str:
        if not ordered:
            return column
        params.extend(v for pair in enumerate(ordered) for v in pair[::-1])
        whens = " ".join("WHEN ? THEN ?" for _ in ordered)
        return f"CASE {column} {whens} ELSE {len(ordered)} END"

    def ids(self, query: ChangeQuery) -> tuple[str, list[Any]]:
        """SQL listing the ids of the records in display order."""
        where, params = self.where(query)
        order, order_params = self.order_by(query)
        table = self._table(query)
        return self._sql(f"SELECT id FROM {table} WHERE {where} ORDER BY {order}"), params + order_params

    def totals(self, query: ChangeQuery) -> tuple[str, list[Any]]:
        """SQL counting the records and summing their area (in the account's unit)."""
        where, params = self.where(query)
        table = self._table(query, ordered=False)
        return self._sql(f"SELECT COUNT(*), SUM(value) FROM {table} WHERE {where}"), params

    def rows(self, count: int) -> str:
        """SQL fetching ``count`` records by id (id, year, from, to, cause, value, batch)."""
        marks = ", ".join("?" * count)
        return self._sql("SELECT id, year, from_item, to_item, cause, value, batch_id FROM flow "
                         f"WHERE id IN ({marks})")


def matching_codes(account: Account, text: str) -> tuple[str, ...] | None:
    """Classes whose code starts with ``text`` or whose name contains it, with all their leaves.

    None for an empty text (no filter).
    """
    needle = text.strip()
    if not needle:
        return None
    found: set[str] = set()
    for code, item in account.items.items():
        if code.startswith(needle) or needle in item.name:
            found.add(code)
            found.update(account.leaves_under(code))
    return tuple(sorted(found))


def load_batch_names(engine: Engine) -> dict[int, str]:
    """Import batch id → file name (a few rows)."""
    with closing(engine.raw_connection()) as conn:
        cur = conn.cursor()
        cur.execute("SELECT id, file_name FROM import_batch")
        return {int(i): str(n) for i, n in cur.fetchall()}


def query_ids(engine: Engine, sql: str, params: list[Any],
              state: TaskState | None = None) -> np.ndarray:
    """Run an id query and return the ids as an int64 array (checks for cancel between chunks)."""
    parts: list[np.ndarray] = []
    with closing(engine.raw_connection()) as conn:
        cur = conn.cursor()
        cur.execute(sql, params)
        while rows := cur.fetchmany(CHUNK):
            parts.append(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)))
            if state is not None:
                state.check()
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def query_totals(engine: Engine, sql: str, params: list[Any]) -> tuple[int, float]:
    """(count, summed area) of a totals query."""
    with closing(engine.raw_connection()) as conn:
        cur = conn.cursor()
        cur.execute(sql, params)
        count, total = cur.fetchone()
    return int(count or 0), float(total or 0.0)


def fetch_records(engine: Engine, sql: ChangeSql, ids: np.ndarray,
                  state: TaskState | None = None) -> dict[int, tuple]:
    """Records by id (id → (id, year, from, to, cause, value, batch)), queried in blocks."""
    out: dict[int, tuple] = {}
    with closing(engine.raw_connection()) as conn:
        cur = conn.cursor()
        for start in range(0, len(ids), 500):
            chunk = [int(i) for i in ids[start:start + 500]]
            cur.execute(sql.rows(len(chunk)), chunk)
            out.update((int(r[0]), tuple(r)) for r in cur.fetchall())
            if state is not None and start % 50_000 == 0:
                state.check()
    return out


class _Row(NamedTuple):
    record: tuple           # (id, year, from, to, cause, value, batch_id)
    texts: list[str]        # what each column shows
    raw: tuple              # year, from, to, cause, area in the shown unit, batch id


class LandChangesModel(QAbstractTableModel):
    """The land change records of a region: ids in memory, contents fetched on demand.

    ``set_query`` and ``sort`` start a reload in a worker; ``loaded`` says the rows and totals are
    current; ``failed`` carries the exception of a failed reload.
    """

    loading = Signal()
    loaded = Signal()
    failed = Signal(object)

    def __init__(self, ctx: AppContext, region: str, parent: Any = None):
        super().__init__(parent)
        self.ctx = ctx
        self.account = ctx.require_project().catalog.account("land")
        self.query = ChangeQuery(region)
        self.ids = np.zeros(0, dtype=np.int64)
        self.count = 0
        self.total = 0.0  # in the account's unit
        self.years: list[int] = []
        dialect = self._engine().dialect
        self._sql = ChangeSql(self.account, {}, dialect.paramstyle, dialect.name)
        self._cache: OrderedDict[int, list[_Row | None]] = OrderedDict()
        self._unit = ctx.preferences.area_unit
        self._generation = 0
        self._task: Task | None = None
        self._busy = False
        self._need_totals = False

    # ------------------------------------------------------------------ loading
    def _engine(self) -> Engine:
        return self.ctx.require_project().store.engine

    @property
    def busy(self) -> bool:
        """True while a reload runs."""
        return self._busy

    def set_query(self, query: ChangeQuery) -> None:
        """Show the records of ``query`` (reload in a worker; totals too if the filter changed)."""
        same_filter = replace(query, sort_column=0, descending=False) == replace(
            self.query, sort_column=0, descending=False)
        self.query = query
        self.reload(totals=not same_filter or not self.years)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by ``column`` in SQL (ORDER BY); the records arrive from a worker."""
        if not 0 <= column < COLUMNS:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) != (self.query.sort_column, self.query.descending):
            self.set_query(replace(self.query, sort_column=column, descending=descending))

    def reload(self, totals: bool = True) -> None:
        """Query the ids again (and the totals, the years and the batch names when ``totals``)."""
        if self.ctx.project is None:
            return
        if self._task is not None and not self._task.done:
            self._task.cancel()
        totals = totals or self._need_totals  # a cancelled reload may have owed them
        self._need_totals = totals
        self._generation += 1
        generation, query, engine = self._generation, self.query, self._engine()
        account, old_sql = self.account, self._sql

        def work(state: TaskState) -> tuple:
            sql = (ChangeSql(account, load_batch_names(engine), old_sql.paramstyle, old_sql.dialect)
                   if totals else old_sql)
            ids = query_ids(engine, *sql.ids(query), state)
            counted = query_totals(engine, *sql.totals(query)) if totals else None
            years = _flow_years(engine, sql, query.region) if totals else None
            return generation, sql, ids, counted, years

        self._busy = True
        self.loading.emit()
        self._task = run_task(work, self._apply, self._failed)

    def _apply(self, result: tuple) -> None:
        generation, sql, ids, counted, years = result
        if generation != self._generation:
            return  # a newer reload is on its way
        self.beginResetModel()
        self._sql, self.ids = sql, ids
        self._cache.clear()
        if counted is not None:
            self.count, self.total = counted
            self.years = years
            self._need_totals = False
        self.endResetModel()
        self._busy = False
        self.loaded.emit()

    def _failed(self, exc: BaseException) -> None:
        from balancesheet.errors import Cancelled

        if isinstance(exc, Cancelled):
            return
        self._busy = False
        self.failed.emit(exc)

    # ------------------------------------------------------------------ records
    def record(self, row: int) -> tuple | None:
        """(id, year, from, to, cause, value, batch_id) of ``row`` (None if it vanished)."""
        shown = self._row(row)
        return None if shown is None else shown.record

    def _row(self, row: int) -> _Row | None:
        block_no = row // BLOCK
        block = self._cache.get(block_no)
        if block is None:
            block = self._fetch_block(block_no)
        else:
            self._cache.move_to_end(block_no)
        return block[row - block_no * BLOCK]

    def _fetch_block(self, block_no: int) -> list[_Row | None]:
        ids = self.ids[block_no * BLOCK:(block_no + 1) * BLOCK]
        if self.ctx.project is None:  # closed under a view that is still painting
            return [None] * len(ids)
        found = fetch_records(self._engine(), self._sql, ids)
        records = [found.get(int(i)) for i in ids]
        areas = convert(np.array([r[5] if r else 0.0 for r in records], dtype=float),
                        self.account.unit, self._unit)
        block: list[_Row | None] = []
        for rec, area in zip(records, areas.tolist(), strict=True):  # formatted once, not per paint
            block.append(None if rec is None else _Row(
                rec, self.cells(rec, area=area), (rec[1], rec[2], rec[3], rec[4], area, rec[6])))
        self._cache[block_no] = block
        while len(self._cache) > CACHED_BLOCKS:
            self._cache.popitem(last=False)
        return block

    def records(self, rows: list[int], state: TaskState | None = None) -> list[tuple | None]:
        """Records of many rows at once (for copying)."""
        ids = self.ids[np.asarray(rows, dtype=np.int64)]
        found = fetch_records(self._engine(), self._sql, ids, state)
        return [found.get(int(i)) for i in ids]

    def tsv(self, rows: list[int], titles: list[str], state: TaskState | None = None) -> str:
        """Rows as tab-separated text under a header line (plain numbers; safe in a worker)."""
        records = [r for r in self.records(rows, state) if r is not None]
        areas = convert(np.array([r[5] for r in records], dtype=float), self.account.unit, self._unit)
        return to_tsv([titles, *(self.cells(rec, for_copy=True, area=area)
                                 for rec, area in zip(records, areas.tolist(), strict=True))])

    @property
    def area_unit(self) -> str:
        """The unit areas are shown in (the preference, read when it changes)."""
        return self._unit

    def shown_area(self, value: float) -> float:
        """An area of the account's unit in the unit shown."""
        return convert(float(value), self.account.unit, self._unit)

    def class_label(self, code: str | None) -> str:
        """``0101 水田``; an empty side (an addition or reduction only) shows as a dash."""
        if not code:
            return "—"
        item = self.account.items.get(code)
        return f"{code} {item.name}" if item else code

    def cause_label(self, code: str) -> str:
        """The cause's Chinese name (the code if the catalog does not know it)."""
        cause = self.account.causes.get(code)
        return cause.name if cause else code

    def batch_label(self, batch_id: int | None) -> str:
        """The file the record was imported from (empty for records entered by hand)."""
        return self._sql.batch_names.get(batch_id, "") if batch_id is not None else ""

    def cells(self, rec: tuple | None, for_copy: bool = False, area: float | None = None) -> list[str]:
        """The texts of one record's columns (plain numbers when ``for_copy``); ``area`` is the
        record's area in the shown unit when already converted."""
        if rec is None:
            return [""] * COLUMNS
        area = self.shown_area(rec[5]) if area is None else area
        return [str(rec[1]), self.class_label(rec[2]), self.class_label(rec[3]),
                self.cause_label(rec[4]), f"{area:.2f}" if for_copy else format_number(area, 2),
                self.batch_label(rec[6])]

    # ------------------------------------------------------------------ Qt model
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else COLUMNS

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.ids):
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (YEAR, AREA):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, RAW_ROLE):
            return None
        shown = self._row(index.row())
        if shown is None:
            return None
        return (shown.raw if role == RAW_ROLE else shown.texts)[column]

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Vertical:
            if role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(self.ids):
                return str(section + 1)
            return None
        if not 0 <= section < COLUMNS:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.column_titles()[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in (YEAR, AREA):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def column_titles(self) -> list[str]:
        """The column headers (the area header names the unit)."""
        return [self.tr("Year"), self.tr("From class"), self.tr("To class"), self.tr("Cause"),
                self.tr("Area ({unit})").format(unit=self.area_unit), self.tr("Source file")]

    def refresh_units(self) -> None:
        """Show areas in the preferred unit again (after a preference change)."""
        self._unit = self.ctx.preferences.area_unit
        self._cache.clear()
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, COLUMNS - 1)
        if len(self.ids):
            self.dataChanged.emit(self.index(0, AREA), self.index(len(self.ids) - 1, AREA))


def _flow_years(engine: Engine, sql: ChangeSql, region: str) -> list[int]:
    with closing(engine.raw_connection()) as conn:
        cur = conn.cursor()
        cur.execute(sql._sql("SELECT DISTINCT year FROM flow WHERE region_code = ? "
                             "AND resource = 'land' ORDER BY year"), [region])
        return [int(r[0]) for r in cur.fetchall()]
