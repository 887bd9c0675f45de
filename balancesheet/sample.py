"""The fictional sample county (青岚县, 990121) shipped in sample_data/."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from balancesheet.resources import sample_data_dir

if TYPE_CHECKING:
    from balancesheet.importer import ImportResult
    from balancesheet.project import Project

SAMPLE_FILES = ("regions.csv", "officials.csv", "targets.csv", "stocks.csv", "land_changes.csv", "flows.csv")


def load_sample(project: Project, progress: Callable[[str], None] | None = None) -> list[ImportResult]:
    """Import the clean sample set into ``project`` (each file all-or-nothing).

    ``progress`` receives a line before and after each file.
    """
    from balancesheet.importer import import_file

    results = []
    for name in SAMPLE_FILES:
        if progress:
            progress(f"正在导入示例数据 {name} …")
        results.append(import_file(project, sample_data_dir() / name))
        if progress:
            progress("  " + results[-1].summary())
    return results
