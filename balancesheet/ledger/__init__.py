"""Ledger computations: values, the 存量及变动表, transition matrices."""

from __future__ import annotations

from balancesheet.ledger.changes import ChangeTable, FlowTotals, change_table, flow_totals
from balancesheet.ledger.matrix import TransitionMatrix, transition_matrix
from balancesheet.ledger.values import ValueTable, value_table

__all__ = ["ChangeTable", "FlowTotals", "TransitionMatrix", "ValueTable", "change_table", "flow_totals",
           "transition_matrix", "value_table"]
