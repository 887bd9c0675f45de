"""A writer process for tests/test_concurrency.py (started with multiprocessing's "spawn").

It opens the project on its own, then for each task: waits at the barrier with the other writers,
sets one stock cell expecting the value the test says the user saw, and reports what happened —
won, conflict (ConflictError, with its message) or error (anything else, with the traceback) —
and how many of its runs lost a race at the database (version check or unique key) and ran again.
"""

from __future__ import annotations

import traceback
from typing import Any

REGION, YEAR, RESOURCE = "990001", 2021, "land"


def writer(url: str, worker: int, barrier: Any, tasks: Any, results: Any) -> None:
    """Serve tasks (round, item, value, expected) until None; put one result tuple per task."""
    import balancesheet.concurrency as concurrency
    from balancesheet.editing import StockEdit, set_stocks
    from balancesheet.errors import ConflictError
    from balancesheet.project import Project

    races = [0]
    lost_race = concurrency.lost_race

    def counting(exc: BaseException) -> bool:
        lost = lost_race(exc)
        races[0] += lost
        return lost

    concurrency.lost_race = counting  # retrying() looks it up at call time
    project = Project.open(url)
    try:
        while (task := tasks.get()) is not None:
            round_, item, value, expected = task
            before = races[0]
            barrier.wait(timeout=120)
            try:
                set_stocks(project, [StockEdit(REGION, YEAR, RESOURCE, item, value, expected)])
                outcome, text = "won", ""
            except ConflictError as exc:
                outcome, text = "conflict", exc.message
            except Exception:  # noqa: BLE001 - reported to the test, which fails on it
                outcome, text = "error", traceback.format_exc()
            results.put((round_, worker, item, value, outcome, text, races[0] - before))
    finally:
        project.close()
