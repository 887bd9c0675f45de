"""The preview of a 存量及变动表 file (what the desktop wizard shows before importing it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from balancesheet.editing import refuse_locked
from balancesheet.errors import ImportRejected, UserError
from balancesheet.importer.readers import read_grid, sheet_names
from balancesheet.importer.wide import WIDE, read_wide
from balancesheet.importer.wide_layout import find_layout, title_units
from balancesheet.importer.writer import region_years

if TYPE_CHECKING:
    from balancesheet.importer.preview import Preview
    from balancesheet.project import Project


def preview_wide(project: Project, path: Path, sheet: str | None = None, columns: dict[str, str] | None = None,
                 region: str | None = None, year: int | None = None, sample_rows: int = 20) -> Preview:
    """Read and check ``path`` as a 存量及变动表 (every such sheet, or ``sheet``) without writing.

    The headers, mapping and sample are those of the first such sheet; issues of every sheet are
    listed with their sheet, row and column.
    """
    from balancesheet.importer import earlier_import, sha256_of
    from balancesheet.importer.preview import Preview

    result = Preview(path.name, kind=WIDE, detected=True, sheet=sheet)
    try:
        result.sheets = sheet_names(path)
        grids = read_grid(path, sheet)
    except ImportRejected as exc:
        return result.reject(exc)
    layouts = [layout for name, grid in grids.items() if (layout := find_layout(grid, name)) is not None]
    if layouts:
        first = layouts[0]
        result.headers = list(first.labels.values())
        result.columns = {first.labels[c]: f for c, f in first.fields.items()}
        for label, chosen in (columns or {}).items():
            result.columns.pop(label, None)
            if chosen:
                result.columns = {h: f for h, f in result.columns.items() if f != chosen} | {label: chosen}
        result.rows = sum(len(layout.body) for layout in layouts)
        head = first.body[list(first.labels)].head(sample_rows)
        result.sample = [(int(row), [str(v) for v in values])
                         for row, values in zip(head.index, head.itertuples(index=False), strict=True)]
        unit_cols = [c for layout in layouts for c, f in layout.fields.items() if f == "unit"][:1]
        found = [u for layout in layouts for u in title_units(layout.title)]
        if unit_cols:
            found += [u for u in first.body[unit_cols[0]].str.strip().unique() if u]
        result.units = list(dict.fromkeys(found))
    try:
        data = read_wide(project, path, sheet, region, year, columns)
    except ImportRejected as exc:
        return result.reject(exc)
    result.notes = list(data.notes)
    with project.store.session() as s:
        earlier = earlier_import(s, sha256_of(path))
        if earlier is not None:
            result.earlier = f"「{earlier.file_name}」（{earlier.imported_at:%Y-%m-%d %H:%M}）"
        try:
            refuse_locked(s, region_years(data.closing) + region_years(data.opening))
        except UserError as exc:
            result.reject(exc)
    return result


__all__ = ["preview_wide"]
