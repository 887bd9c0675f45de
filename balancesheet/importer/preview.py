"""What importing a file would do, found without changing anything: the preview a user checks
before importing (the desktop wizard shows one per file).

A preview never raises for a bad file: everything wrong becomes an :class:`Issue` in
``issues``, with the file, sheet, row and column it came from, so all of it can be shown at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from balancesheet.editing import refuse_locked
from balancesheet.errors import ImportRejected, Issue, Location, UserError
from balancesheet.importer import Splits, choose_kind, earlier_import, sha256_of, validate_table
from balancesheet.importer.crosswalk import KINDS as CROSSWALK_KINDS
from balancesheet.importer.crosswalk import SplitClass, apply_crosswalk
from balancesheet.importer.formats import (
    FORMATS,
    guess_kind,
    mapped_headers,
    recognisable,
    resolve_columns,
)
from balancesheet.importer.readers import RawTable, read_table, sheet_names
from balancesheet.importer.writer import (
    describe_clashes,
    flow_clashes,
    region_years,
    snapshot_clashes,
)
from balancesheet.project import Project

SAMPLE_ROWS = 20


@dataclass
class Preview:
    """One file as it would be imported: how it was read, mapped and what is wrong with it."""

    file: str
    sheets: list[str] = field(default_factory=list)   # the workbook's sheets ([] for a CSV)
    sheet: str | None = None                            # the sheet read
    headers: list[str] = field(default_factory=list)
    kind: str | None = None                             # the kind it is read as
    detected: bool = False                              # the kind was recognised from the headers
    columns: dict[str, str] = field(default_factory=dict)  # header → field, as used
    missing: list[str] = field(default_factory=list)    # required fields no header maps to
    units: list[str] = field(default_factory=list)      # distinct values of the unit column
    sample: list[tuple[int, list[str]]] = field(default_factory=list)  # (row number, cells)
    rows: int = 0                                       # data rows in the table
    issues: list[Issue] = field(default_factory=list)   # empty: the file can be imported
    message: str = ""                                   # the verdict when there are issues
    message_en: str = ""
    notes: list[str] = field(default_factory=list)
    earlier: str = ""             # the same content was imported before: "「file」 at time"
    clashes: str = ""             # flows of this kind (or a parcel snapshot) already stored there
    regions: list[str] = field(default_factory=list)    # codes a regions file defines
    crosswalk: dict | None = None                       # 二调 → 三调 mapping that would be applied
    split_classes: list[SplitClass] = field(default_factory=list)  # split 二调 classes in the file

    @property
    def clean(self) -> bool:
        """True when the file validates (it may still need ``replace``, see needs_replace)."""
        return self.kind is not None and not self.issues

    @property
    def needs_replace(self) -> bool:
        """Importing is refused unless replace=True (same file again, or double-counted flows)."""
        return bool(self.earlier or self.clashes)

    def reject(self, exc: UserError) -> Preview:
        """Record a refusal: its issues, or one file-level issue when it names none."""
        self.message, self.message_en = exc.message, exc.message_en
        self.issues = list(exc.issues) or [Issue(Location(self.file, self.sheet), exc.message,
                                                 exc.message_en)]
        return self


def preview(project: Project, path: str | Path, kind: str | None = None, sheet: str | None = None,
            columns: dict[str, str] | None = None, known_regions: Iterable[str] = (),
            sample_rows: int = SAMPLE_ROWS, region: str | None = None, year: int | None = None,
            classification: str | None = None, splits: Splits | None = None) -> Preview:
    """Read and validate ``path`` as :func:`import_file` would, without writing anything.

    ``kind``/``sheet``/``columns`` as for import_file; when the kind is not given and the headers
    do not identify one, the closest kind is guessed so that the user can fix the mapping.
    ``known_regions``: region codes that files imported earlier in the same batch will create.
    ``region``/``year``: for a 存量及变动表 (kind wide) that does not state them.
    ``classification``/``splits``: the 二调 → 三调 crosswalk choices, as for import_file; the
    split classes found in the file (with their candidates and rows) are in ``split_classes``.
    """
    from balancesheet.importer.wide import WIDE, sniff
    from balancesheet.importer.wide_preview import preview_wide

    path = Path(path)
    if kind == WIDE:
        return preview_wide(project, path, sheet, columns, region, year, sample_rows)
    result = Preview(path.name)
    try:
        result.sheets = sheet_names(path)
        table = read_table(path, sheet, lambda headers: recognisable(headers, kind, columns))
    except ImportRejected as exc:
        if kind is None and not columns and sniff(path, sheet):
            return preview_wide(project, path, sheet, None, region, year, sample_rows)
        result.sheet = sheet
        return result.reject(exc)
    if kind is None and not columns and not _names_a_kind(table) and sniff(path, sheet):
        return preview_wide(project, path, sheet, None, region, year, sample_rows)
    table.sheet_note = ""  # "read sheet X of N": the preview names the sheet and lists the others
    _describe_table(result, table, sample_rows)
    try:
        result.kind, result.detected = _kind(table, kind, columns)
        resolved = resolve_columns(result.kind, table.headers, columns)
    except ImportRejected as exc:
        return result.reject(exc)
    result.columns = {header: name for name, header in resolved.items()}
    result.missing = [c.name for c in FORMATS[result.kind] if c.required and c.name not in resolved]
    if "unit" in resolved:
        counts = table.frame[resolved["unit"]].value_counts()
        result.units = [str(u) for u in counts.index if str(u).strip()]
    try:
        checker, frame = validate_table(project, table, result.kind, columns, known_regions, classification, splits)
    except ImportRejected as exc:
        result.split_classes = _split_classes(project, table, result.kind, resolved, classification, splits)
        return result.reject(exc)
    result.notes = list(checker.notes)
    if checker.crosswalk is not None:
        result.crosswalk, result.split_classes = checker.crosswalk.record(), checker.crosswalk.splits
    if result.kind == "regions":
        result.regions = sorted(frame["code"].astype(str))
    _check_database(project, path, result, frame)
    return result


def _names_a_kind(table: RawTable) -> bool:
    """True when the headers of ``table`` identify a tidy kind."""
    try:
        choose_kind(table.headers, table.file)
    except ImportRejected:
        return False
    return True


def _split_classes(project: Project, table: RawTable, kind: str, resolved: dict[str, str],
                   classification: str | None, splits: Splits | None) -> list[SplitClass]:
    """The split 二调 classes of a refused file (so that the user can choose their targets)."""
    from balancesheet.importer.validate import Checker

    if kind not in CROSSWALK_KINDS:
        return []
    try:
        return apply_crosswalk(Checker(table, resolved), project.catalog, kind, classification, splits)
    except UserError:
        return []


def _describe_table(result: Preview, table: RawTable, sample_rows: int) -> None:
    result.sheet = table.sheet
    result.headers = list(table.headers)
    result.rows = len(table.frame)
    head = table.frame.head(sample_rows)
    result.sample = [(int(row), [str(v) for v in values])
                     for row, values in zip(head.index, head.itertuples(index=False), strict=True)]


def _kind(table: RawTable, kind: str | None, columns: dict[str, str] | None) -> tuple[str, bool]:
    try:
        return choose_kind(table.headers, table.file, kind, columns), kind is None
    except ImportRejected:
        guess = guess_kind(mapped_headers(table.headers, columns)) if kind is None else None
        if guess is None:
            raise
        return guess, False


def _check_database(project: Project, path: Path, result: Preview, frame: object) -> None:
    """What the database would refuse: the same file again, double-counted flows, locked years."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    with project.store.session() as s:
        earlier = earlier_import(s, sha256_of(path))
        if earlier is not None:
            result.earlier = f"「{earlier.file_name}」（{earlier.imported_at:%Y-%m-%d %H:%M}）"
        if result.kind in ("flows", "land_changes") and not frame.empty:
            result.clashes = describe_clashes(flow_clashes(s, frame, result.kind))
        if result.kind == "parcels" and not frame.empty:
            result.clashes = describe_clashes(snapshot_clashes(s, frame))
        if result.kind in ("stocks", "flows", "land_changes", "parcels") and not frame.empty:
            try:
                refuse_locked(s, region_years(frame))
            except UserError as exc:
                result.reject(exc)


__all__ = ["Preview", "preview"]
