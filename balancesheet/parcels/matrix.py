"""The exact land transition matrix of a span from its two parcel snapshots."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from balancesheet.ledger.matrix import OUTSIDE, OUTSIDE_NAME, TransitionMatrix
from balancesheet.parcels.overlay import overlay, span
from balancesheet.parcels.snapshots import require

if TYPE_CHECKING:
    from balancesheet.catalog import Account
    from balancesheet.project import Project

def matrix_classes(account: Account, level: int) -> list[str]:
    """The classes of a transition matrix at ``level`` (1 一级类, 2 二级类), in catalog order."""
    root = next(c for c in account.order if account.items[c].parent is None)
    classes = [c for c in account.order if account.depth(c) == level
               or (account.is_leaf(c) and 0 < account.depth(c) < level)]
    return [c for c in classes if root in account.ancestors(c)]


def parcel_matrix(project: Project, region: str, year_from: int, year_to: int,
                  level: int = 1) -> TransitionMatrix:
    """The exact land transition matrix of a span from its two parcel snapshots (SQL overlay).

    ``cells[i][j]`` is the area of parcels in class i at the end of ``year_from`` and in class j
    at the end of ``year_to`` (a re-measured parcel counts with the smaller of its two areas);
    parcels found in one snapshot only, and re-measured area, go to the 「账户外增减」 row/column,
    so that row sums are the first snapshot's areas and column sums the second's.
    """
    y0, y1 = span(year_from, year_to)
    account = project.catalog.account("land")
    classes = matrix_classes(account, level)
    with project.store.engine.connect() as conn:
        for year in (y0, y1):
            require(project, conn, region, year)
        pairs = overlay(conn, region, y0, y1)
    index = {c: i for i, c in enumerate(classes)}
    level_of = {code: index.get(account.class_at_level(code, level)) for code in account.items}
    n = len(classes)
    cells = np.zeros((n + 1, n + 1))
    src = pairs["from_class"].map(level_of).fillna(n).astype(int).to_numpy()
    dst = pairs["to_class"].map(level_of).fillna(n).astype(int).to_numpy()
    both = (src < n) & (dst < n)
    np.add.at(cells, (src[both], dst[both]), pairs["kept"].to_numpy()[both])
    np.add.at(cells, (src, np.full_like(src, n)), (pairs["lost"] + pairs["only_from"]).to_numpy())
    np.add.at(cells, (np.full_like(dst, n), dst), (pairs["gained"] + pairs["only_to"]).to_numpy())
    cells[n, n] = 0.0
    names = [account.items[c].name for c in classes]
    notes = [f"由 {y0} 年末与 {y1} 年末两期图斑按图斑编号叠加得出（精确，不是逐年变更记录的累加）/ "
             "exact overlay of two parcel snapshots by parcel id"]
    outside = bool(cells[n, :].any() or cells[:, n].any())
    one_sided = pairs["from_class"].isna() | pairs["to_class"].isna()
    if one_sided.any():
        notes.append(f"只在 {y0} 年出现的图斑 {int(pairs.loc[pairs['to_class'].isna(), 'parcels'].sum()):,} 个"
                     f"（{pairs['only_from'].sum():,.4f} {account.unit}）列入「{OUTSIDE_NAME}」列，只在 {y1} 年出现的 "
                     f"{int(pairs.loc[pairs['from_class'].isna(), 'parcels'].sum()):,} 个"
                     f"（{pairs['only_to'].sum():,.4f}）列入「{OUTSIDE_NAME}」行 / one-sided parcels shown as EXT")
    if pairs["remeasured"].sum():
        notes.append(f"{int(pairs['remeasured'].sum()):,} 个图斑两期面积不同：矩阵格取较小者，减少部分"
                     f"（{pairs['lost'].sum():,.4f}）列入「{OUTSIDE_NAME}」列，增加部分（{pairs['gained'].sum():,.4f}）"
                     "列入行 / re-measured area shown as EXT")
    if not outside:
        cells = cells[:n, :n]
    opening, closing = cells[:n].sum(axis=1), cells[:, :n].sum(axis=0)
    if outside:
        classes, names = classes + [OUTSIDE], names + [OUTSIDE_NAME]
        opening, closing = np.append(opening, np.nan), np.append(closing, np.nan)
    return TransitionMatrix(region, y0, y1, account.unit, classes, names, cells, opening, closing,
                            "parcels", notes)
