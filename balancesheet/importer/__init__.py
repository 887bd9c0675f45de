"""Import tidy tables (CSV/XLSX) into a project: validate everything, then write all or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from balancesheet.errors import ImportRejected, LockedYearError
from balancesheet.importer.crosswalk import KINDS as CROSSWALK_KINDS
from balancesheet.importer.crosswalk import apply_crosswalk
from balancesheet.importer.formats import (
    FORMATS,
    KIND_NAMES,
    ORDER,
    detect_kind,
    mapped_headers,
    recognisable,
    resolve_columns,
)
from balancesheet.importer.kinds import PARSERS
from balancesheet.importer.readers import RawTable, peek_headers, read_table
from balancesheet.importer.validate import Checker
from balancesheet.importer.wide import WIDE, prepare_wide, sniff, write_wide
from balancesheet.importer.writer import WRITERS, Progress, new_batch
from balancesheet.project import Project
from balancesheet.store.schema import ImportBatch, Region

if TYPE_CHECKING:
    import pandas as pd
    from sqlalchemy.orm import Session

Splits = Mapping[str, Mapping[str, float]]  # a split 二调 class → {三调 class: share}


@dataclass
class ImportResult:
    """The outcome of importing one file."""

    file: str
    kind: str
    rows: int
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    replaced: int = 0
    notes: list[str] = field(default_factory=list)
    crosswalk: dict | None = None  # the 二调 → 三调 mapping applied (balancesheet.crosswalk.Applied.record)

    def summary(self) -> str:
        """One line for the user."""
        text = (f"{self.file}：{KIND_NAMES[self.kind]} {self.rows} 行，新增 {self.inserted}，"
                f"更新 {self.updated}，未变 {self.unchanged}")
        if self.replaced:
            text += f"，替换旧记录 {self.replaced}"
        return text


def sha256_of(path: Path) -> str:
    """Content hash used to detect re-imports of the same file."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def choose_kind(headers: list[str], file: str, kind: str | None = None,
                columns: dict[str, str] | None = None) -> str:
    """The kind to read a table as: ``kind`` if given (checked), else detected from the headers
    as the user's ``columns`` mapping (header → field) names them."""
    if kind is None:
        return detect_kind(mapped_headers(headers, columns), file)
    if kind not in FORMATS and kind != WIDE:
        raise ImportRejected(f"未知的数据类型「{kind}」，可用：{', '.join(FORMATS)}", f"Unknown kind {kind!r}")
    return kind


# Kinds whose tables may hold totals rows (合计/小计): their code columns and amount column.
TOTALS_ROWS = {"stocks": (["item"], "value"), "flows": (["item"], "value"),
               "land_changes": (["from", "to"], "area")}


def validate_table(project: Project, table: RawTable, kind: str, columns: dict[str, str] | None = None,
                   known_regions: Iterable[str] = (), classification: str | None = None,
                   splits: Splits | None = None) -> tuple[Checker, pd.DataFrame]:
    """Validate a read table as ``kind``: (checker, clean frame), or ImportRejected with every issue.

    ``columns`` is the user's mapping header → field (see :func:`resolve_columns`);
    ``known_regions`` are region codes to accept besides the project's (those a regions file
    imported first in the same batch will create). Land codes of the 二调 classification are
    mapped to 三调 classes (see :mod:`balancesheet.crosswalk`): ``classification`` "2007"/"2017"
    says which the file uses (None: detect), ``splits`` gives the user's shares for split classes.
    """
    resolved = resolve_columns(kind, table.headers, columns)
    missing = [c.spellings[1] + f"（{c.name}）" for c in FORMATS[kind] if c.required and c.name not in resolved]
    if missing:
        raise ImportRejected(f"{table.file}：{KIND_NAMES[kind]}表缺少列：{'、'.join(missing)}",
                             f"{table.file}: missing columns for {kind}")
    with project.store.session() as s:
        known = set(s.scalars(select(Region.code)).all()) | set(known_regions)
    checker = Checker(table, resolved)
    if kind in TOTALS_ROWS:
        checker.drop_totals(*TOTALS_ROWS[kind])
    if kind in CROSSWALK_KINDS:
        apply_crosswalk(checker, project.catalog, kind, classification, splits)
    frame = PARSERS[kind](checker, project.catalog, known)
    checker.finish()
    if checker.issues:
        raise ImportRejected(
            f"{table.file} 有 {len(checker.issues)} 处错误，未导入任何数据（数据库未改动）。"
            + "".join(f"{line}。" for line in checker.summary) + "请改正后重新导入。",
            f"{table.file}: {len(checker.issues)} error(s); nothing was imported.",
            sorted(checker.issues, key=lambda i: (i.location.row or 0, i.location.column or "")),
        )
    return checker, frame


def prepare(project: Project, path: Path, kind: str | None = None, sheet: str | None = None,
            columns: dict[str, str] | None = None, region: str | None = None,
            year: int | None = None, classification: str | None = None,
            splits: Splits | None = None) -> tuple[RawTable, str, Checker, object]:
    """Read and validate a file without touching the database: (table, kind, checker, frame).

    ``classification``/``splits``: the 二调 → 三调 crosswalk choices (see :func:`validate_table`).

    ``columns`` maps headers of the file to fields of the kind (header → field, "" to ignore a
    header) where the user knows better than the recognised spellings. A file whose headers name
    no tidy kind but that holds the official 存量及变动表 layout is read as kind ``wide``;
    ``region``/``year`` are used there when the file does not state them.
    """
    if kind == WIDE:
        return prepare_wide(project, path, sheet, region, year, columns)
    try:
        table = read_table(path, sheet, lambda headers: recognisable(headers, kind, columns))
        kind = choose_kind(table.headers, path.name, kind, columns)
    except ImportRejected:
        if kind is None and not columns and sniff(path, sheet):
            return prepare_wide(project, path, sheet, region, year)
        raise
    checker, frame = validate_table(project, table, kind, columns, (), classification, splits)
    return table, kind, checker, frame


def earlier_import(session: Session, digest: str) -> ImportBatch | None:
    """The earlier import batch of a file with the same content (sha256), if any."""
    return session.scalars(select(ImportBatch).where(ImportBatch.sha256 == digest)).first()


def import_file(project: Project, path: str | Path, kind: str | None = None, sheet: str | None = None,
                replace: bool = False, progress: Progress | None = None,
                columns: dict[str, str] | None = None, region: str | None = None,
                year: int | None = None, classification: str | None = None,
                splits: Splits | None = None) -> ImportResult:
    """Import one file in one transaction; raise ImportRejected (database unchanged) on any error.

    ``columns`` is the user's header → field mapping; ``region``/``year`` complete a 存量及变动表
    that does not state them; ``classification``/``splits`` are the 二调 → 三调 crosswalk choices
    (see :func:`validate_table`); the mapping applied is logged with the import's batch.
    """
    path = Path(path)
    if progress:
        progress(0.0, f"读取并校验 {path.name}")
    table, kind, checker, frame = prepare(project, path, kind, sheet, columns, region, year, classification, splits)
    applied = getattr(checker, "crosswalk", None)
    crosswalk = applied.record() if applied is not None else None
    if progress:
        progress(0.05, f"校验通过：{len(frame):,} 行{KIND_NAMES[kind]}数据，开始写入")  # type: ignore[arg-type]
    digest = sha256_of(path)
    with project.store.session(write=True) as s:  # SQLite: no other writer between our checks and writes
        earlier = earlier_import(s, digest)
        if earlier is not None and not replace:
            raise ImportRejected(
                f"{path.name} 与 {earlier.imported_at:%Y-%m-%d %H:%M} 导入的「{earlier.file_name}」内容完全相同，"
                "已拒绝重复导入。如确需重新导入替换，请加 --replace。",
                f"{path.name} was already imported ({earlier.file_name}); use --replace.",
            )
        batch = new_batch(s, path.name, digest, kind, len(frame))  # type: ignore[arg-type]
        write = write_wide if kind == WIDE else WRITERS[kind]
        try:
            counts = write(project.store, s, frame, batch, replace, progress)  # type: ignore[arg-type]
        except LockedYearError as exc:  # name the file: several may be imported at once
            raise LockedYearError(f"{path.name}：{exc.message}未导入任何数据。",
                                  f"{path.name}: {exc.message_en} Nothing was imported.") from exc
        project.store.log(s, "import", kind, path.name, None,
                          {"rows": len(frame), "inserted": counts.inserted, "updated": counts.updated,  # type: ignore[arg-type]
                           "replaced": counts.replaced, "sha256": digest}
                          | ({"crosswalk": crosswalk} if crosswalk else {}), batch.id)
    return ImportResult(path.name, kind, len(frame), counts.inserted, counts.updated,  # type: ignore[arg-type]
                        counts.unchanged, counts.replaced, checker.notes + counts.notes, crosswalk)


def sort_for_import(project: Project, paths: list[Path], kind: str | None = None,
                    kinds: Mapping[Path, str] | None = None) -> list[Path]:
    """Order files so that what others refer to (regions, officials) comes first.

    ``kinds`` gives the kind of some files (as a user chose it); the others are detected.
    """
    def rank(path: Path) -> int:
        try:
            k = (kinds or {}).get(path) or kind or detect_kind(peek_headers(path), path.name)
        except ImportRejected:
            return len(ORDER)
        return ORDER.index(k)

    return sorted(paths, key=rank)


__all__ = ["ImportResult", "choose_kind", "earlier_import", "import_file", "prepare", "sha256_of",
           "sort_for_import", "validate_table"]
