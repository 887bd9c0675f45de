"""The rows of a 存量及变动表 sheet: text cells → items, numbers and units (issues into a Checker).

Numbers go through importer/validate.Checker like every import (thousands separators, full-width
digits, every bad cell located); a dash (—, -, /) is an empty cell, a trailing % is dropped.
"""

from __future__ import annotations

import pandas as pd

from balancesheet.importer.readers import RawTable
from balancesheet.importer.validate import Checker
from balancesheet.importer.wide_items import Indexes, ItemIndex, unit_for
from balancesheet.importer.wide_layout import VALUE_FIELDS, SheetLayout, title_units

_DASH = r"^[-—－–/／\\]+$"


def raw_table(file: str, layout: SheetLayout, columns: dict[str, str] | None = None,
              ) -> tuple[RawTable, dict[str, str]]:
    """The body as a RawTable whose headers are the display labels, and field → label (the
    user's ``columns`` mapping label → field wins over recognition)."""
    body = layout.body[list(layout.labels)].copy()
    body.columns = [layout.labels[c] for c in layout.labels]
    fields = {f: layout.labels[c] for c, f in layout.fields.items()}
    for label, chosen in (columns or {}).items():  # the user's mapping wins
        if label not in body.columns:
            continue
        fields = {f: lab for f, lab in fields.items() if lab != label and f != chosen}
        if chosen:
            fields[chosen] = label
    for name in VALUE_FIELDS:
        if name in fields:
            column = body[fields[name]].str.strip()
            body[fields[name]] = column.where(~column.str.match(_DASH), "").str.replace(
                r"%$", "", regex=True)
    for column in body.columns:
        body[column] = body[column].str.strip()
    return RawTable(file, layout.sheet, body, list(body.columns)), fields


def resource_from_rows(indexes: Indexes, table: RawTable, fields: dict[str, str]) -> str | None:
    """The one resource in whose catalog most row labels resolve, else None."""
    frame = table.frame
    codes = frame[fields["code"]] if "code" in fields else pd.Series("", index=frame.index)
    names = frame[fields["name"]] if "name" in fields else pd.Series("", index=frame.index)
    pairs = pd.unique(codes + "\x1f" + names)
    score = {r: sum(ix.hits(*p.split("\x1f")) for p in pairs) for r, ix in indexes.by_resource.items()}
    best = max(score.values(), default=0)
    winners = [r for r, s in score.items() if s == best]
    return winners[0] if best and len(winners) == 1 else None


def read_rows(ck: Checker, index: ItemIndex, layout: SheetLayout, fields: dict[str, str]) -> pd.DataFrame:
    """Resolve each row's item and read its numbers in the item's unit (issues into ``ck``)."""
    frame = ck.table.frame
    codes = ck.text("code") if "code" in fields else pd.Series("", index=frame.index)
    names = frame[fields["name"]] if "name" in fields else pd.Series("", index=frame.index)
    keys = codes + "\x1f" + names
    resolved = {k: index.resolve(*k.split("\x1f")) for k in pd.unique(keys)}
    item = keys.map({k: v[0] for k, v in resolved.items()}).astype(object)
    why = keys.map({k: v[1] for k, v in resolved.items()})
    present = [f for f in VALUE_FIELDS if f in fields]
    numbers = {f: ck.number(f, required=False) for f in present}
    has_numbers = pd.concat([n.notna() for n in numbers.values()], axis=1).any(axis=1) if numbers \
        else pd.Series(False, index=frame.index)
    label_field = "name" if "name" in fields else "code"
    for reason in pd.unique(why[item.isna() & has_numbers]):
        ck.reject(item.isna() & has_numbers & (why == reason), label_field, reason, "row label not recognised")
    target = item.map({c: index.unit(c) for c in pd.unique(item.dropna())}).astype(object)
    given = ck.text("unit") if "unit" in fields else pd.Series("", index=frame.index)
    closing_col = next((c for c, label in layout.labels.items() if label == fields.get("closing")), None)
    column_unit = layout.label_units.get(closing_col, "") if closing_col is not None else ""
    title = title_units(layout.title) + ([column_unit] if column_unit else [])
    unit_key = target.fillna("") + "\x1f" + given.where(given != "", column_unit)
    written = unit_key.map({k: unit_for(*k.split("\x1f"), title) if k.split("\x1f")[0] else ""
                            for k in pd.unique(unit_key)}).astype(object)
    factor = row_factors(ck, written, target, "unit" if "unit" in fields else label_field)
    kind = item.map({c: index.kind(c) for c in pd.unique(item.dropna())})
    rows = pd.DataFrame({"row": frame.index.astype(int), "item": item, "kind": kind,
                         "label": (codes + " " + names.str.strip()).str.strip(),
                         "unit": target, "written_unit": written, "factor": factor}, index=frame.index)
    for f in present:
        rows[f] = (numbers[f] * factor).round(8)
        rows[f"shown_{f}"] = numbers[f]
    unnamed = "\x00" + pd.Series(frame.index.astype(str), index=frame.index)  # never duplicates
    ck.duplicates(rows.assign(key=item.fillna(unnamed)), ["key"], label_field, "同一项目")
    return rows


def row_factors(ck: Checker, written: pd.Series, target: pd.Series, column: str) -> pd.Series:
    """Factor written unit → item unit per row; an unknown unit or one that does not fit its item
    is rejected."""
    from balancesheet import units

    key = written.fillna("") + "\x1f" + target.fillna("")
    table: dict[str, float] = {}
    unknown: set[str] = set()
    for k in pd.unique(key):  # distinct (unit, target) pairs: a handful
        w, _, t = k.partition("\x1f")
        if w and w == t:  # the item's own unit, known to the converter or not (a county's extension)
            table[k] = 1.0
        elif w and not units.is_known(w):
            unknown.add(w)
        elif w and t and units.is_known(t) and units.same_dimension(w, t):
            table[k] = units.factor(w, t)
    factors = key.map(table).astype(float)
    bad_unit = written.isin(unknown)
    ck.reject(bad_unit, column, f"未知单位「{'、'.join(sorted(unknown))}」（可用：{units.known_units()}）",
              "unknown unit")
    ck.reject(target.notna() & factors.isna() & ~bad_unit, column,
              "本行的单位与项目的计量单位量纲不同（请在「单位」列注明本行单位）", "unit does not fit the item")
    return factors


__all__ = ["raw_table", "read_rows", "resource_from_rows", "row_factors"]
