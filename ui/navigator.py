"""The navigator: regions → years → the four resources (and the year's analyses); officials → audits.

Reads the project with plain SQL (no pandas) so the tree fills before the heavy modules load.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

if TYPE_CHECKING:
    from ui.context import AppContext

KEY = Qt.ItemDataRole.UserRole
#: What a navigator entry opens: ("account", region, year, resource), ("changes", region, year),
#: ("matrix", region, year), ("charts", region), ("official", official_id), ("audit", audit_id)
Key = tuple


class Navigator(QTreeWidget):
    """The project tree; ``opened`` carries the key of the entry the user activated."""

    opened = Signal(tuple)
    current_changed = Signal(str, int)  # region, year of the selected entry (year 0: none)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.itemActivated.connect(self._activate)
        self.itemDoubleClicked.connect(self._activate)
        self.currentItemChanged.connect(self._current)
        ctx.project_opened.connect(self.reload)
        ctx.project_closed.connect(self.clear)
        ctx.data_changed.connect(self._data_changed)
        ctx.locks_changed.connect(self._locks_changed)
        from ui.findings import audit_events

        audit_events().changed.connect(self._audit_changed)

    def _audit_changed(self, _audit_id: int) -> None:
        self.reload()

    def _data_changed(self, _region: str, _year: int, _resource: str) -> None:
        self.reload()

    def _locks_changed(self, _region: str, _year: int) -> None:
        self.reload()

    def _item(self, parent: QTreeWidget | QTreeWidgetItem, text: str, key: Key | None,
              tip: str = "") -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, KEY, key)
        if tip:
            item.setToolTip(0, tip)
        return item

    def reload(self) -> None:
        """Rebuild the tree from the project, keeping the expanded/selected entry where possible."""
        from sqlalchemy import select

        from balancesheet.store.schema import Audit, Official, Period, Region, Stock

        project = self.ctx.project
        current = self.currentItem().data(0, KEY) if self.currentItem() else None
        self.clear()
        if project is None:
            return
        catalog = project.catalog
        with project.store.session() as s:
            regions = s.scalars(select(Region).order_by(Region.code)).all()
            years = s.execute(select(Stock.region_code, Stock.year).distinct()
                              .order_by(Stock.year)).all()
            resources = set(s.execute(select(Stock.region_code, Stock.resource).distinct()).all())
            locked = {(p.region_code, p.year) for p in s.scalars(
                select(Period).where(Period.locked.is_(True))).all()}
            officials = s.scalars(select(Official).order_by(Official.start)).all()
            audits = s.scalars(select(Audit).order_by(Audit.id)).all()
            region_rows = [(r.code, r.name) for r in regions]
            official_rows = [(o.id, o.name, o.post, o.region_code) for o in officials]
            audit_rows = [(a.id, a.official_id, a.start_year, a.end_year, a.status) for a in audits]
        by_region: dict[str, list[int]] = {}
        for code, year in years:
            by_region.setdefault(code, []).append(int(year))
        select_item = None
        regions_root = self._item(self, self.tr("Regions"), None)
        for code, name in region_rows:
            r_item = self._item(regions_root, f"{name}（{code}）", ("region", code))
            region_years = sorted(set(by_region.get(code, [])), reverse=True)
            if region_years:
                self._item(r_item, self.tr("Charts"), ("charts", code))
            for year in region_years:
                lock = self.tr(" (locked)") if (code, year) in locked else ""
                y_item = self._item(r_item, self.tr("{year}").format(year=year) + lock,
                                    ("year", code, year))
                for resource, account in catalog.accounts.items():
                    if (code, resource) in resources:
                        key = ("account", code, year, resource)
                        item = self._item(y_item, account.name, key)
                        if key == current:
                            select_item = item
                if (code, "land") in resources:
                    self._item(y_item, self.tr("Land change records"), ("changes", code, year))
                    self._item(y_item, self.tr("Transition matrix"), ("matrix", code, year))
            r_item.setExpanded(True)
            if region_years:
                r_item.child(1).setExpanded(True)
        officials_root = self._item(self, self.tr("Officials and audits"), None)
        for oid, name, post, region in official_rows:
            o_item = self._item(officials_root, f"{name} · {post}", ("official", oid),
                                self.tr("Region {region}").format(region=region))
            for aid, official, y0, y1, status in audit_rows:
                if official == oid:
                    state = self.tr("final") if status == "final" else self.tr("draft")
                    self._item(o_item, self.tr("Audit {id}: {y0}–{y1} ({state})").format(
                        id=aid, y0=y0, y1=y1, state=state), ("audit", aid))
        regions_root.setExpanded(True)
        officials_root.setExpanded(True)
        if select_item is not None:
            self.setCurrentItem(select_item)

    def find_key(self, key: Key) -> QTreeWidgetItem | None:
        """The entry with ``key``, if shown."""
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item.data(0, KEY) == key:
                return item
            stack += [item.child(i) for i in range(item.childCount())]
        return None

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        key = item.data(0, KEY)
        if key and key[0] not in ("region", "year"):
            self.opened.emit(tuple(key))
        elif key is not None:
            item.setExpanded(not item.isExpanded())

    def _current(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        key = item.data(0, KEY) if item else None
        if not key or key[0] in ("official", "audit"):
            return
        region = key[1]
        year = key[2] if len(key) > 2 and isinstance(key[2], int) else 0
        self.current_changed.emit(region, year)
