"""Departure audits: tenure → year-ends, proposals, decisions, freeze, fingerprint, report numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import SAMPLE_REGION
from sqlalchemy import text
from storage_backends import sample_project_on_both_backends  # noqa: F401 - `sample_project` on SQLite and PostgreSQL

from balancesheet.audit.analysis import analyse_tenure
from balancesheet.audit.tenure import tenure_years
from balancesheet.audit.workflow import add_finding, compute, decide, finalise, open_audit, verify
from balancesheet.cli import main
from balancesheet.errors import UserError
from balancesheet.ledger import change_table
from balancesheet.project import Project
from balancesheet.reports.render import audit_report

YEARS = list(range(2018, 2026))
D = dt.date


@pytest.mark.parametrize(("start", "end", "rule", "expected"), [
    (D(2019, 7, 16), D(2023, 4, 12), "previous", (2018, 2022)),   # mid-year both ends
    (D(2019, 7, 16), D(2023, 4, 12), "following", (2018, 2023)),
    (D(2019, 7, 16), D(2023, 4, 12), "nearest", (2018, 2022)),    # April: nearer to 2022-12-31
    (D(2019, 7, 16), D(2023, 9, 30), "nearest", (2018, 2023)),    # September: nearer to 2023-12-31
    (D(2019, 1, 1), D(2022, 12, 31), "previous", (2018, 2022)),   # exact year boundaries
    (D(2021, 3, 1), None, "previous", (2020, 2025)),              # still in office: latest data
    (D(2020, 11, 3), D(2027, 1, 10), "previous", (2019, 2025)),   # end beyond the data: latest data
])
def test_tenure_to_year_ends(start: dt.date, end: dt.date | None, rule: str, expected: tuple[int, int]) -> None:
    t = tenure_years(start, end, YEARS, rule)
    assert (t.start_year, t.end_year) == expected
    assert f"{expected[0]}年12月31日" in t.explanation and f"{expected[1]}年12月31日" in t.explanation
    assert t.running == (end is None)


def test_tenure_starting_before_the_data_is_shortened_and_says_so() -> None:
    t = tenure_years(D(2017, 5, 1), D(2021, 6, 30), YEARS)
    assert (t.start_year, t.end_year, t.shortened) == (2018, 2020, True)
    assert "2016年末无存量数据" in t.explanation and "比较期间短于任期" in t.explanation


@pytest.mark.parametrize(("start", "end", "message"), [
    (D(2010, 3, 1), D(2017, 5, 1), "早于最早的存量数据"),
    (D(2024, 3, 1), D(2024, 9, 1), "没有完整的年末可比"),
])
def test_tenures_that_cannot_be_compared_give_a_clear_message(start: dt.date, end: dt.date, message: str) -> None:
    with pytest.raises(UserError, match=message):
        tenure_years(start, end, YEARS)


def test_no_data_at_all_is_a_clear_message() -> None:
    with pytest.raises(UserError, match="没有任何年末存量数据"):
        tenure_years(D(2020, 1, 1), None, [])


def test_analysis_numbers_equal_the_ledger(sample_project: Project) -> None:
    a = analyse_tenure(sample_project, "GL002")
    assert (a.tenure.start_year, a.tenure.end_year) == (2019, 2024)
    direct = change_table(sample_project, SAMPLE_REGION, "land", 2019, 2024).rows.set_index("item")
    ours = a.tables["land"].rows.set_index("item")
    for code in ("01", "03", "G2", "T"):
        for key in ("opening", "additions", "reductions", "observed_closing"):
            assert ours.loc[code, key] == pytest.approx(direct.loc[code, key])
    missed = {(t.indicator, t.year) for t in a.targets if t.status == "missed"}
    assert missed == {("CULT", 2023), ("CULT", 2024), ("WU", 2022)}
    years = {t.year for t in a.targets}
    assert years == set(range(2020, 2025))  # each tenure year, start_year+1 … end_year


def test_missing_indicator_data_is_no_data_never_met(sample_project: Project) -> None:
    with sample_project.store.engine.begin() as conn:
        conn.execute(text("DELETE FROM stock WHERE resource='water' AND item LIKE 'U%' AND year=2023"))
    a = analyse_tenure(sample_project, "GL002")
    wu_2023 = [t for t in a.targets if t.indicator == "WU" and t.year == 2023]
    assert wu_2023 and wu_2023[0].status == "no_data" and wu_2023[0].actual is None


def test_proposals_decisions_score_and_freeze(sample_project: Project) -> None:
    audit_id = open_audit(sample_project, "GL003")
    assert open_audit(sample_project, "GL003") == audit_id  # re-running keeps one draft, no duplicates
    state = compute(sample_project, audit_id)
    sources = [f["source"] for f in state.findings]
    assert len(sources) == len(set(sources))
    assert {"target:CULT:2023", "target:CULT:2024", "target:CULT:2025", "decline:CULT"} <= set(sources)
    baseline = state.score.total
    with pytest.raises(UserError, match="待确认"):
        finalise(sample_project, audit_id)
    for f in state.findings:
        decide(sample_project, f["id"], "accepted" if f["source"].startswith("target:") else "rejected")
    manual = add_finding(sample_project, audit_id, 2, "违规批准占用林地 3.2 公顷", "较严重", "直接责任",
                         "依法整改，恢复林地", 3.2, "公顷")
    after = compute(sample_project, audit_id).score
    scheme_points = 3.0  # 较严重 in the shipped scheme
    assert after.total == pytest.approx(baseline - scheme_points)
    assert any(d.block == 2 for d in after.deductions)
    digest = finalise(sample_project, audit_id)
    assert len(digest) == 64
    with pytest.raises(UserError, match="已定稿"):
        decide(sample_project, manual, "rejected")
    with pytest.raises(UserError, match="已定稿"):
        add_finding(sample_project, audit_id, 1, "x", "一般", "领导责任")
    assert verify(sample_project, audit_id)[0]


def test_tampering_with_a_stock_after_finalising_fails_verification(sample_project: Project,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    audit_id = open_audit(sample_project, "GL001")
    for f in compute(sample_project, audit_id).findings:
        decide(sample_project, f["id"], "accepted")
    finalise(sample_project, audit_id)
    path = sample_project.store.location
    assert main(["verify", path, "--audit", str(audit_id)]) == 0
    with sample_project.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE stock SET value = value + 0.01 WHERE resource='land' AND item='0101' AND year=2022")
    ok, stored, now = verify(sample_project, audit_id)
    assert not ok and stored != now
    capsys.readouterr()
    assert main(["verify", path, "--audit", str(audit_id)]) == 1
    assert "核验失败" in capsys.readouterr().out


def test_audit_report_numbers_equal_the_ledger(sample_project: Project, tmp_path: Path) -> None:
    audit_id = open_audit(sample_project, "GL002")
    result = audit_report(sample_project, audit_id, tmp_path / "a.xlsx", tmp_path / "a.pdf")
    assert result.pages and result.pages > 5
    wb = openpyxl.load_workbook(tmp_path / "a.xlsx")
    direct = {r: change_table(sample_project, SAMPLE_REGION, r, 2019, 2024).rows.set_index("item")
              for r in ("land", "forest", "water", "wetland")}
    ws = wb["实物量变化表"]
    names = {"土地资源": "land", "森林资源": "forest", "水资源": "water", "湿地资源": "wetland"}
    checked = 0
    for row in ws.iter_rows(min_row=5, values_only=True):
        if row[0] not in names:
            continue
        table = direct[names[row[0]]]
        assert row[4] == pytest.approx(table.loc[row[1], "opening"], abs=1e-6) or table.loc[row[1], "kind"] == "flow"
        assert row[5] == pytest.approx(table.loc[row[1], "observed_closing"], abs=1e-6)
        checked += 1
    assert checked >= 15
    basics = [c.value for r in wb["基本情况"].iter_rows() for c in r if isinstance(c.value, str)]
    assert any("2020年11月3日 至 2025年8月28日" in v for v in basics)
    assert any("2019年12月31日 与 2024年12月31日" in v for v in basics)
    targets = wb["目标完成情况"]
    statuses = [r[8] for r in targets.iter_rows(min_row=5, values_only=True) if r[1] == "CULT"]
    assert sum(str(s).startswith("未达标") for s in statuses) == 2


@pytest.mark.parametrize("official", ["GL001", "GL002", "GL003"])
def test_audit_cli_for_every_sample_official(sample_db: Path, tmp_path: Path, official: str,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "s.db"
    db.write_bytes(sample_db.read_bytes())
    assert main(["audit", str(db), "--official", official, "-o", str(tmp_path / "a.xlsx"),
                 "--pdf", str(tmp_path / "a.pdf")]) == 0
    out = capsys.readouterr().out
    assert "综合得分" in out and "等次" in out
    assert (tmp_path / "a.pdf").stat().st_size > 50_000


def test_unknown_official_is_a_clear_message(sample_project: Project) -> None:
    with pytest.raises(UserError, match="GL001"):
        analyse_tenure(sample_project, "NOPE")


def test_template_check_knows_the_audit_template(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from balancesheet.resources import data_dir

    assert main(["template-check", str(data_dir("templates") / "audit.xlsx")]) == 0
    wb = openpyxl.load_workbook(data_dir("templates") / "audit.xlsx")
    wb["问题清单"]["K2"] = "{{findings.responsability}}"
    wb.save(tmp_path / "my_audit.xlsx")
    capsys.readouterr()
    assert main(["template-check", str(tmp_path / "my_audit.xlsx")]) == 1
    out = capsys.readouterr().out
    assert "responsability" in out and "responsibility" in out


def test_final_audit_is_reused_and_its_report_refused_after_tampering(sample_project: Project, tmp_path: Path) -> None:
    audit_id = open_audit(sample_project, "GL003")
    for f in compute(sample_project, audit_id).findings:
        decide(sample_project, f["id"], "accepted")
    finalise(sample_project, audit_id)
    assert open_audit(sample_project, "GL003") == audit_id          # the final audit, not a new draft
    assert open_audit(sample_project, "GL003", new=True) != audit_id  # unless asked
    audit_report(sample_project, audit_id, tmp_path / "ok.xlsx")     # reproducible while data unchanged
    with sample_project.store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE stock SET value = value + 1 WHERE resource='forest' AND item='F11' AND year=2025")
    with pytest.raises(UserError, match="指纹不符"):
        audit_report(sample_project, audit_id, tmp_path / "bad.xlsx")
    assert not (tmp_path / "bad.xlsx").exists()


def test_official_edit_is_validated_and_logged(sample_project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = sample_project.store.location
    assert main(["official", path, "GL003", "--end", "2025-06-30"]) == 0
    assert main(["official", path, "GL003", "--end", "2020-01-01"]) == 2    # before start
    assert main(["official", path, "GL003", "--in-office"]) == 0
    log = sample_project.store.read_sql("SELECT entity, key, old, new FROM change_log WHERE entity='official'")
    assert len(log) == 2 and "2025-06-30" in log["new"].iloc[0] and '"end": null' in log["new"].iloc[1]
    assert analyse_tenure(sample_project, "GL003").tenure.running


def test_auditor_edits_a_proposed_finding_from_the_cli(sample_project: Project,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    audit_id = open_audit(sample_project, "GL002")
    first = compute(sample_project, audit_id).findings[0]
    path = sample_project.store.location
    assert main(["finding", path, "--audit", str(audit_id), "--edit", str(first["id"]), "--severity", "后果严重",
                 "--responsibility", "直接责任", "--description", "修改后的描述"]) == 0
    edited = next(f for f in compute(sample_project, audit_id).findings if f["id"] == first["id"])
    assert (edited["severity"], edited["responsibility"], edited["description"], edited["status"]) == (
        "后果严重", "直接责任", "修改后的描述", "accepted")
    assert main(["finding", path, "--audit", str(audit_id), "--edit", str(first["id"])]) == 2  # nothing to edit
    log = sample_project.store.read_sql("SELECT old, new FROM change_log WHERE entity='finding'")
    assert "修改后的描述" in log["new"].iloc[-1]
