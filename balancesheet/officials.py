"""Editing officials and their tenures (every change logged old → new)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from balancesheet.errors import UserError
from balancesheet.store.schema import Official

if TYPE_CHECKING:
    from balancesheet.project import Project

EDITABLE = ("name", "post", "start", "end")


def update_official(project: Project, official_id: str, **fields: Any) -> None:
    """Change an official's name, post, start or end (None: still in office); validated and logged."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise UserError(f"不能修改的字段：{', '.join(sorted(unknown))}", f"Not editable: {unknown}")
    with project.store.session() as s:
        official = s.get(Official, official_id)
        if official is None:
            raise UserError(f"未找到领导干部编号 {official_id}", f"Unknown official {official_id}")
        after = {k: fields.get(k, getattr(official, k)) for k in EDITABLE}
        if not str(after["name"]).strip() or not str(after["post"]).strip():
            raise UserError("姓名和职务不能为空", "name and post are required")
        if after["start"] > dt.date.today():
            raise UserError("任职起在未来", "start is in the future")
        if after["end"] is not None and after["end"] < after["start"]:
            raise UserError("任职止早于任职起", "end before start")
        before = {k: getattr(official, k) for k in EDITABLE}
        for key, value in after.items():
            setattr(official, key, value)
        project.store.log(s, "update", "official", official_id, before, after)
