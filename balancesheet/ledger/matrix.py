"""The land transition matrix (转移矩阵): opening classes × closing classes.

Rows are the classes at the end of ``year_from``, columns at the end of ``year_to``;
``cells[i][j]`` is the area that moved from class i to class j; the diagonal is the area that
stayed. Row sums are the opening stocks and column sums the (computed) closing stocks.

Over several years the off-diagonal cells are the sum of the years' transfers (gross flows):
an area that moved A → B → A shows in both cells. The result says so in ``notes``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from balancesheet.errors import UserError
from balancesheet.ledger.changes import FlowTotals, load_flow_totals
from balancesheet.ledger.values import ValueTable, value_table

if TYPE_CHECKING:
    from balancesheet.project import Project

OUTSIDE = "EXT"
OUTSIDE_NAME = "账户外增减"


@dataclass
class TransitionMatrix:
    """A transition matrix with its classes, cells and the stocks it reconciles to."""

    region: str
    year_from: int
    year_to: int
    unit: str
    classes: list[str]
    names: list[str]
    cells: np.ndarray
    opening: np.ndarray
    closing_observed: np.ndarray
    method: str = "transfers"
    notes: list[str] = field(default_factory=list)

    @property
    def row_sums(self) -> np.ndarray:
        """Area at the end of ``year_from`` per class."""
        return self.cells.sum(axis=1)

    @property
    def column_sums(self) -> np.ndarray:
        """Area at the end of ``year_to`` per class (computed from transfers)."""
        return self.cells.sum(axis=0)

    def frame(self) -> pd.DataFrame:
        """The matrix as a DataFrame labelled with codes."""
        return pd.DataFrame(self.cells, index=self.classes, columns=self.classes)

    def to_json(self) -> dict[str, Any]:
        """The machine contract of ``matrix --json`` (DESIGN.md §5)."""
        return {
            "region": self.region, "from": self.year_from, "to": self.year_to, "unit": self.unit,
            "orientation": "rows = classes at end of 'from', columns = classes at end of 'to'",
            "method": self.method, "classes": self.classes, "names": self.names,
            "cells": [[round(float(v), 6) for v in row] for row in self.cells],
            "row_sums": [round(float(v), 6) for v in self.row_sums],
            "column_sums": [round(float(v), 6) for v in self.column_sums],
            "observed_closing": [None if np.isnan(v) else round(float(v), 6) for v in self.closing_observed],
            "notes": self.notes,
        }


def transition_matrix(project: Project, region: str, year_from: int, year_to: int,
                      level: int = 1, values: ValueTable | None = None,
                      flows: FlowTotals | None = None) -> TransitionMatrix:
    """Land transition matrix of ``region`` from the end of year_from to the end of year_to.

    ``level`` 1 uses the first-level classes (00 湿地 … 12 其他土地), 2 the second-level ones.
    ``values`` (holding both years) and ``flows`` (the span's FlowTotals) save their queries.
    """
    if year_to <= year_from:
        raise UserError(f"矩阵的截止年度 {year_to} 须晚于起始年度 {year_from}",
                        "--to must be later than --from")
    account = project.catalog.account("land")
    root = next(c for c in account.order if account.items[c].parent is None)
    classes = [c for c in account.order if account.depth(c) == level
               or (account.is_leaf(c) and 0 < account.depth(c) < level)]
    classes = [c for c in classes if root in account.ancestors(c)]
    if values is None or not {year_from, year_to} <= set(values.years):
        values = value_table(project, region, [year_from, year_to])
    opening = np.array([values.series("land", c)[year_from] for c in classes], dtype=float)
    closing = np.array([values.series("land", c)[year_to] for c in classes], dtype=float)

    if flows is not None and flows.covers(region, year_from, year_to):
        booked = flows.of("land")
    else:  # the matrix needs no causes: the narrower GROUP BY sorts faster
        booked = load_flow_totals(project, region, "land", year_from, year_to, by_cause=False)
    index = {c: i for i, c in enumerate(classes)}
    level_of = {code: account.class_at_level(code, level) for code in account.items}
    src = booked["from_item"].map(level_of).map(index)
    dst = booked["to_item"].map(level_of).map(index)
    n = len(classes)
    has_outside = bool(src.isna().any() or dst.isna().any())
    size = n + 1 if has_outside else n
    cells = np.zeros((size, size))
    ext = n  # index of the outside row/column when present
    np.add.at(cells, (src.fillna(ext).astype(int).to_numpy(), dst.fillna(ext).astype(int).to_numpy()),
              booked["value"].to_numpy(dtype=float))
    np.fill_diagonal(cells, 0.0)
    notes: list[str] = []
    missing = [c for c, v in zip(classes, opening, strict=True) if np.isnan(v)]
    if missing:
        notes.append(f"以下地类缺少 {year_from} 年末存量，按 0 计：{', '.join(missing)} / "
                     f"no opening stock for {missing}, taken as 0")
    base = np.nan_to_num(opening)
    stayed = base - cells[:n, :].sum(axis=1)
    cells[np.arange(n), np.arange(n)] = stayed
    if year_to - year_from > 1:
        notes.append(f"跨 {year_to - year_from} 年的矩阵由各年变更记录累加（毛流量），同一地块往返变化会重复计入；"
                     "有两期图斑数据时可精确叠加 / summed yearly transfers (gross flows)")
    if (stayed < -1e-6).any():
        neg = [c for c, v in zip(classes, stayed, strict=True) if v < -1e-6]
        notes.append(f"地类 {', '.join(neg)} 的转出面积大于期初面积（对角线为负），请检查数据 / "
                     "outflows exceed opening stock")
    names = [account.items[c].name for c in classes]
    if has_outside:
        classes, names = classes + [OUTSIDE], names + [OUTSIDE_NAME]
        opening, closing = np.append(opening, np.nan), np.append(closing, np.nan)
        notes.append("土地账户存在非转移的增减记录，列为「账户外增减」行列 / non-transfer flows shown as EXT")
    return TransitionMatrix(region, year_from, year_to, account.unit, classes, names, cells, opening,
                            closing, "transfers", notes)
