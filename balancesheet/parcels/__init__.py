"""Parcel snapshots (图斑): a year's land stocks from its snapshot, and the change records and the
transition matrix of a span from two snapshots overlaid by parcel id.

How the overlay books a parcel present in both snapshots (``a`` its area at the end of
``year_from``, ``b`` at the end of ``year_to``):

- its class changed (A → B): one land change record A → B of ``min(a, b)``, cause ``NA`` 未注明原因
  unless the caller names another transfer cause (a snapshot says *that* the class changed, not why);
- its area changed (re-measured, or part of it merged into a neighbour): the difference is booked
  as 核算调整 (``ADJ``) — an addition ``b − a`` to its class at the end when it grew, a reduction
  ``a − b`` from its class at the start when it shrank — summed per class (one record per class and
  direction), so each class's opening + additions − reductions equals its closing in the snapshots;
- a parcel present in one snapshot only (split, merged, new id) is *not* booked: it is reported
  (count, area, by class, and each parcel id) and shown in the matrix's 「账户外增减」 row/column.

A span of several years is booked in ``year_to`` (the snapshots cannot tell in which year a parcel
changed); the years between get no change records. The matrix is exact over any span.
"""

from __future__ import annotations

from balancesheet.parcels.changes import DEFAULT_CAUSE, KIND, derive_changes
from balancesheet.parcels.matrix import matrix_classes, parcel_matrix
from balancesheet.parcels.overlay import ADJUSTMENT, Comparison, compare_snapshots
from balancesheet.parcels.snapshots import (
    Snapshot,
    StockDerivation,
    derive_stocks,
    find_snapshot,
    has_snapshots,
    land_classes,
    snapshot,
)

__all__ = ["ADJUSTMENT", "DEFAULT_CAUSE", "KIND", "Comparison", "Snapshot", "StockDerivation",
           "compare_snapshots", "derive_changes", "derive_stocks", "find_snapshot", "has_snapshots",
           "land_classes", "matrix_classes", "parcel_matrix", "snapshot"]
