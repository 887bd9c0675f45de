"""Departure-audit scoring: shipped scheme, each rule kind by hand, grades, red flags, errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from balancesheet.audit.scoring import (
    Decline,
    FindingInput,
    Scheme,
    TargetMiss,
    default_scheme_path,
    grade_for,
    load_scheme,
    parse_scheme,
    round2,
    score,
)
from balancesheet.errors import CatalogError, UserError
from balancesheet.indicators import TargetResult

SHIPPED = default_scheme_path().read_text(encoding="utf-8")
INDICATORS = {"CULT", "PBF", "CON", "FCR", "FSV", "FA", "WET", "WU", "WUE", "Q3R", "Q6R", "QFR"}
CONTENT_AREAS = [
    "贯彻执行中央生态文明建设方针政策和决策部署情况",
    "遵守自然资源资产管理和生态环境保护法律法规情况",
    "自然资源资产管理和生态环境保护重大决策情况",
    "完成自然资源资产管理和生态环境保护目标情况",
    "履行自然资源资产管理和生态环境保护监督责任情况",
    "组织自然资源资产和生态环境保护相关资金征管用和项目建设运行情况",
    "履行其他相关责任情况",
]


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return parse_scheme(SHIPPED, "audit_scheme.toml", INDICATORS)


def edit(text: str, anchor: str, old: str, new: str) -> str:
    """Replace the first ``old`` after the line ``anchor`` (e.g. 'code = "T-CULT"')."""
    start = text.index(anchor)
    at = text.index(old, start)
    return text[:at] + new + text[at + len(old):]


def header_line(text: str, anchor: str) -> int:
    """1-based line of the ``[[...]]`` header of the table holding the line ``anchor``."""
    lines = text.splitlines()
    hit = next(i for i, line in enumerate(lines) if line.strip() == anchor)
    while not lines[hit].lstrip().startswith("[["):
        hit -= 1
    return hit + 1


def errors_of(tmp_path: Path, text: str, name: str = "my_scheme.toml") -> CatalogError:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_scheme(path, INDICATORS)
    assert info.value.issues, "a CatalogError must list its issues"
    return info.value


def messages_at(error: CatalogError, file: str, row: int) -> list[str]:
    return [i.message for i in error.issues if i.location.file == file and i.location.row == row]


def miss(code: str, name: str, year: int, gap: float, unit: str, *, binding: bool = True,
         end: bool = True, better: str | None = "higher") -> TargetMiss:
    return TargetMiss(code, name, year, gap, unit, binding, end, better)


def block4(result_blocks: list) -> object:
    return next(b for b in result_blocks if b.block == 4)


# ---------------------------------------------------------------------------------------------
# The shipped scheme
# ---------------------------------------------------------------------------------------------

def test_shipped_scheme_loads_with_seven_blocks_summing_to_100(scheme: Scheme) -> None:
    assert [b.code for b in scheme.blocks] == [1, 2, 3, 4, 5, 6, 7]
    assert [b.name for b in scheme.blocks] == CONTENT_AREAS
    assert sum(b.max_points for b in scheme.blocks) == pytest.approx(100)
    assert max(scheme.blocks, key=lambda b: b.max_points).code == 4
    assert [(g.name, g.min_points) for g in scheme.grades] == [
        ("好", 90), ("较好", 80), ("一般", 70), ("较差", 60), ("差", 0)]
    targets = {r.indicator for r in scheme.rules if r.kind == "target_missed"}
    assert targets == {"CULT", "PBF", "FCR", "FSV", "WET", "WU", "CON", "Q3R"}
    assert {r.kind for r in scheme.rules} == {"target_missed", "decline", "finding"}
    finding = next(r for r in scheme.rules if r.kind == "finding")
    assert finding.points_by_severity == {"后果严重": 5, "较严重": 3, "一般": 1}
    assert [(f.code, f.name, f.grade_cap) for f in scheme.red_flags] == [
        ("RF1", "重大资源毁损", "较差"), ("RF2", "重大环境污染事件", "较差"),
        ("RF3", "重大履职不到位", "较差"), ("RF4", "重大违法违纪违规", "较差")]


def test_default_load_checks_against_the_shipped_indicator_catalog() -> None:
    loaded = load_scheme()
    assert loaded.source == "audit_scheme.toml"
    assert len(loaded.rules) >= 12


def test_scheme_file_does_not_disturb_the_account_catalogs() -> None:
    from balancesheet.catalog import load_catalog

    catalog = load_catalog()
    assert set(catalog.accounts) == {"land", "forest", "water", "wetland"}
    assert "CULT" in catalog.indicators


def test_no_findings_scores_100_and_好(scheme: Scheme) -> None:
    result = score(scheme, [], [], [])
    assert result.total == 100
    assert result.grade == result.grade_uncapped == "好"
    assert result.deductions == [] and result.red_flags == []
    assert all(b.score == b.max_points and b.deducted == 0 for b in result.blocks)


# ---------------------------------------------------------------------------------------------
# target_missed
# ---------------------------------------------------------------------------------------------

def test_target_missed_per_started_unit_and_cap(scheme: Scheme) -> None:
    result = score(scheme, [miss("CULT", "耕地保有量", 2025, 152.54, "公顷")], [], [])
    [d] = result.deductions
    assert (d.block, d.rule, d.points) == (4, "T-CULT", 10)
    assert d.basis == ("耕地保有量 2025 年低于约束性目标 152.54 公顷，按每 10 公顷扣 1 分"
                       "（不足 10 公顷按 10 公顷计），扣 16 分，本规则上限 10 分，实扣 10 分")
    assert block4(result.blocks).deducted == 10
    assert result.total == 90


@pytest.mark.parametrize(("gap", "points"), [(20.0, 2), (20.01, 3), (0.5, 1), (9.99, 1)])
def test_target_missed_exact_multiples_are_not_bumped(scheme: Scheme, gap: float,
                                                      points: int) -> None:
    [d] = score(scheme, [miss("PBF", "永久基本农田保护面积", 2025, gap, "公顷")], [], []).deductions
    assert d.points == points


@pytest.mark.parametrize(("gap", "points"), [(0.3, 3), (0.1 + 0.2, 3), (0.31, 4), (0.05, 1)])
def test_percentage_point_gaps_count_started_tenths(scheme: Scheme, gap: float,
                                                    points: int) -> None:
    [d] = score(scheme, [miss("FCR", "森林覆盖率", 2025, gap, "%")], [], []).deductions
    assert d.points == points
    assert "按每 0.1 个百分点扣 1 分（不足 0.1 个百分点按 0.1 个百分点计）" in d.basis


def test_years_each_deducts_every_year_up_to_the_cap_and_lists_the_rest(scheme: Scheme) -> None:
    misses = [miss("WU", "用水总量", 2024, 650, "万立方米", end=False, better="lower"),
              miss("WU", "用水总量", 2023, 230, "万立方米", end=False, better="lower"),
              miss("WU", "用水总量", 2025, 120, "万立方米", end=True, better="lower")]
    result = score(scheme, misses, [], [])
    wu = [d for d in result.deductions if d.rule == "T-WU"]
    # by year: 2023 ⌈2.3⌉ = 3; 2024 ⌈6.5⌉ = 7 → 5 left under the cap of 8; 2025 ⌈1.2⌉ = 2 → 0
    assert [d.points for d in wu] == [3, 5, 0]
    assert "用水总量 2023 年超出约束性目标 230 万立方米" in wu[0].basis
    assert "扣 7 分，本规则上限 8 分（此前已扣 3 分），实扣 5 分" in wu[1].basis
    assert wu[2].basis.endswith("扣 2 分，本规则上限 8 分（此前已扣 8 分），已达上限，实扣 0 分")
    assert block4(result.blocks).deducted == 8


def test_years_end_ignores_earlier_years_but_says_so(scheme: Scheme) -> None:
    result = score(scheme, [miss("CULT", "耕地保有量", 2023, 40, "公顷", end=False)], [], [])
    assert result.deductions == []
    assert any("2023" in n and "只按任期末年扣分" in n for n in result.notes)


def test_binding_only_skips_expected_targets_with_a_note(scheme: Scheme) -> None:
    expected = miss("CULT", "耕地保有量", 2025, 40, "公顷", binding=False)
    result = score(scheme, [expected], [], [])
    assert result.deductions == []
    assert any("预期性目标" in n and "T-CULT" in n for n in result.notes)

    relaxed = parse_scheme(edit(SHIPPED, 'code = "T-CULT"', "binding_only = true",
                                "binding_only = false"), "s.toml", INDICATORS)
    [d] = score(relaxed, [expected], [], []).deductions
    assert d.points == 4
    assert "低于预期性目标 40 公顷" in d.basis


def test_miss_without_rule_or_with_zero_gap_is_noted_not_dropped(scheme: Scheme) -> None:
    result = score(scheme, [miss("WUE", "万元GDP用水量", 2025, 3.0, "立方米/万元", better="lower"),
                            miss("CULT", "耕地保有量", 2025, 0.0, "公顷")], [], [])
    assert result.deductions == []
    assert any("万元GDP用水量" in n and "没有对应的目标规则" in n for n in result.notes)
    assert any("缺口为 0" in n for n in result.notes)


def test_target_miss_from_an_evaluated_target() -> None:
    result = TargetResult("WU", "用水总量", "万立方米", 2025, "<=", 10000.0, True, "文件", 10230.0,
                          "missed", 230.0)
    m = TargetMiss.from_result(result, end_year=2025)
    assert (m.gap, m.binding, m.is_end_year, m.better) == (230.0, True, True, "lower")
    assert not TargetMiss.from_result(result, end_year=2026).is_end_year


# ---------------------------------------------------------------------------------------------
# decline
# ---------------------------------------------------------------------------------------------

def test_decline_of_a_higher_indicator_deducts(scheme: Scheme) -> None:
    declines = [Decline("FCR", "森林覆盖率", 45.2, 44.85, "%", "higher"),   # 0.35 pt → 4 × 0.5
                Decline("CULT", "耕地保有量", 1000, 880, "公顷", "higher"),  # 120 ha → 3 × 0.5
                Decline("WET", "湿地面积", 500, 350, "公顷", "higher")]      # 150 ha → 7.5 → cap 5
    result = score(scheme, [], declines, [])
    got = {d.rule: d.points for d in result.deductions}
    assert got == {"D-FCR": 2.0, "D-CULT": 1.5, "D-WET": 5.0}
    fcr = next(d for d in result.deductions if d.rule == "D-FCR")
    assert fcr.basis == ("森林覆盖率任期内由 45.2% 降至 44.85%，减少 0.35 个百分点，"
                         "按每减少 0.1 个百分点扣 0.5 分"
                         "（不足 0.1 个百分点按 0.1 个百分点计），"
                         "扣 2 分，本规则上限 5 分，实扣 2 分")
    wet = next(d for d in result.deductions if d.rule == "D-WET")
    assert "扣 7.5 分，本规则上限 5 分，实扣 5 分" in wet.basis
    assert block4(result.blocks).deducted == 8.5
    assert result.total == 91.5


def test_improvement_deducts_nothing(scheme: Scheme) -> None:
    result = score(scheme, [], [Decline("FCR", "森林覆盖率", 45.0, 46.0, "%", "higher"),
                                Decline("CULT", "耕地保有量", 1000, 1000, "公顷", "higher")], [])
    assert result.deductions == []
    assert result.total == 100
    assert sum("未下降" in n for n in result.notes) == 2


def test_decline_of_a_lower_indicator_is_an_increase() -> None:
    text = SHIPPED + ('\n[[rule]]\ncode = "D-WU"\nname = "任期内用水总量增加"\nblock = 4\n'
                      'kind = "decline"\nindicator = "WU"\nper_amount = 100\npoints = 1\ncap = 5\n')
    custom = parse_scheme(text, "s.toml", INDICATORS)
    worse = score(custom, [], [Decline("WU", "用水总量", 5000, 5250, "万立方米", "lower")], [])
    [d] = worse.deductions
    assert d.points == 3  # 250 万m³ more: ⌈2.5⌉ × 1
    assert ("由 5000 万立方米增至 5250 万立方米，增加 250 万立方米，"
            "按每增加 100 万立方米扣 1 分") in d.basis
    better = score(custom, [], [Decline("WU", "用水总量", 5000, 4800, "万立方米", "lower")], [])
    assert better.deductions == [] and better.total == 100


# ---------------------------------------------------------------------------------------------
# finding
# ---------------------------------------------------------------------------------------------

def test_findings_by_severity_in_their_own_block(scheme: Scheme) -> None:
    findings = [FindingInput("F-01", 2, "后果严重", "违法占用林地 12 公顷"),
                FindingInput("F-02", 2, "较严重", "未批先建"),
                FindingInput("F-03", 5, "一般", "监督检查记录不全")]
    result = score(scheme, [], [], findings)
    assert [(d.block, d.points) for d in result.deductions] == [(2, 5), (2, 3), (5, 1)]
    assert result.deductions[0].basis == ("问题 F-01（后果严重）：违法占用林地 12 公顷，"
                                          "按计分办法「后果严重」问题每项扣 5 分")
    scores = {b.block: b.score for b in result.blocks}
    assert scores[2] == 7 and scores[5] == 9
    assert result.total == 91


def test_finding_own_deduction_overrides_severity(scheme: Scheme) -> None:
    result = score(scheme, [], [], [FindingInput("F-09", 6, "一般", "资金滞留", deduction=2.5)])
    [d] = result.deductions
    assert (d.block, d.points) == (6, 2.5)
    assert "审计组认定扣 2.5 分（按严重程度「一般」默认为 1 分）" in d.basis
    assert result.total == 97.5


def test_block_never_below_zero_and_every_deduction_still_listed(scheme: Scheme) -> None:
    findings = [FindingInput(f"F-{i}", 3, "后果严重", f"重大决策失误 {i}") for i in range(4)]
    result = score(scheme, [], [], findings)
    assert len(result.deductions) == 4
    assert sum(d.points for d in result.deductions) == 20
    three = next(b for b in result.blocks if b.block == 3)
    assert (three.max_points, three.deducted, three.score) == (10, 10, 0)
    assert "各项扣分合计 20 分" in three.basis and "不低于 0 分" in three.basis
    assert any("不低于 0 分" in n for n in result.notes)
    assert result.total == 90


def test_bad_inputs_are_refused(scheme: Scheme) -> None:
    with pytest.raises(UserError) as info:
        score(scheme, [], [Decline("FCR", "森林覆盖率", 1, 0, "%", "up")],
              [FindingInput("F-1", 8, "严重", "x"),
               FindingInput("F-2", 1, "一般", "y", red_flag="RF9"),
               FindingInput("F-3", 1, "一般", "z", deduction=-1)])
    assert len(info.value.issues) == 5


# ---------------------------------------------------------------------------------------------
# Grades and red flags
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("total", "grade"), [
    (100, "好"), (90.0, "好"), (89.99, "较好"), (89.995, "好"), (89.994, "较好"), (80.0, "较好"),
    (79.99, "一般"), (70.0, "一般"), (69.99, "较差"), (60.0, "较差"), (59.99, "差"), (0, "差")])
def test_grade_boundaries(scheme: Scheme, total: float, grade: str) -> None:
    assert grade_for(scheme, total) == grade


def test_total_is_rounded_before_grading(scheme: Scheme) -> None:
    assert round2(89.995) == 90.0 and round2(89.994999) == 89.99
    at_90 = score(scheme, [], [], [FindingInput("F-1", 2, "一般", "x", deduction=10)])
    assert (at_90.total, at_90.grade) == (90.0, "好")
    below = score(scheme, [], [], [FindingInput("F-1", 2, "一般", "x", deduction=10.01)])
    assert (below.total, below.grade) == (89.99, "较好")


def test_red_flag_caps_好_at_较差(scheme: Scheme) -> None:
    flagged = FindingInput("F-7", 1, "后果严重", "自然保护区内违规开发", deduction=0,
                           red_flag="重大资源毁损")
    result = score(scheme, [], [], [flagged])
    assert result.total == 100
    assert (result.grade_uncapped, result.grade) == ("好", "较差")
    assert result.red_flags == ["RF1"]
    assert any("按得分应为「好」，定为「较差」" in n for n in result.notes)
    assert "属重大问题「重大资源毁损」" in result.deductions[0].basis


def test_red_flag_leaves_差_as_差(scheme: Scheme) -> None:
    findings = [FindingInput("F-1", 4, "后果严重", "a", deduction=35),
                FindingInput("F-2", 2, "后果严重", "b", deduction=15, red_flag="RF2"),
                FindingInput("F-3", 1, "后果严重", "c", deduction=10, red_flag="RF4")]
    result = score(scheme, [], [], findings)
    assert result.total == 40
    assert result.grade_uncapped == result.grade == "差"
    assert result.red_flags == ["RF2", "RF4"]


# ---------------------------------------------------------------------------------------------
# Validation: file and line of the offending [[table]]
# ---------------------------------------------------------------------------------------------

def test_block_sum_not_100(tmp_path: Path) -> None:
    text = edit(SHIPPED, "code = 4", "max = 35", "max = 30")
    error = errors_of(tmp_path, text)
    messages = messages_at(error, "my_scheme.toml", header_line(text, "code = 1"))
    assert any("合计须为 100" in m and "95" in m for m in messages), error.issues
    assert "my_scheme.toml" in str(error) and f"第 {header_line(text, 'code = 1')} 行" in str(error)


def test_missing_and_duplicate_blocks(tmp_path: Path) -> None:
    text = edit(SHIPPED, "code = 7", "code = 7", "code = 6")
    error = errors_of(tmp_path, text)
    dup_line = header_line(text, 'name = "履行其他相关责任情况"')
    assert any("重复" in m for m in messages_at(error, "my_scheme.toml", dup_line))
    assert any("缺少审计内容板块" in m and "7" in m
               for m in messages_at(error, "my_scheme.toml", header_line(text, "code = 1")))


def test_unknown_kind(tmp_path: Path) -> None:
    text = edit(SHIPPED, 'code = "T-CULT"', 'kind = "target_missed"', 'kind = "target_miss"')
    error = errors_of(tmp_path, text)
    messages = messages_at(error, "my_scheme.toml", header_line(text, 'code = "T-CULT"'))
    assert any("kind" in m and "target_miss" in m for m in messages), error.issues


def test_unknown_block(tmp_path: Path) -> None:
    text = edit(SHIPPED, 'code = "T-PBF"', "block = 4", "block = 9")
    error = errors_of(tmp_path, text)
    messages = messages_at(error, "my_scheme.toml", header_line(text, 'code = "T-PBF"'))
    assert any("block「9」" in m for m in messages), error.issues


def test_unknown_indicator(tmp_path: Path) -> None:
    text = edit(SHIPPED, 'code = "T-FSV"', 'indicator = "FSV"', 'indicator = "FSVX"')
    error = errors_of(tmp_path, text)
    messages = messages_at(error, "my_scheme.toml", header_line(text, 'code = "T-FSV"'))
    assert any("FSVX" in m and "指标目录" in m for m in messages), error.issues


def test_bad_grade_order(tmp_path: Path) -> None:
    text = edit(SHIPPED, 'name = "较好"', "min = 80", "min = 95")
    error = errors_of(tmp_path, text)
    messages = messages_at(error, "my_scheme.toml", header_line(text, 'name = "较好"'))
    assert any("从高到低" in m for m in messages), error.issues


def test_last_grade_must_start_at_zero(tmp_path: Path) -> None:
    text = edit(SHIPPED, 'name = "差"', "min = 0", "min = 10")
    error = errors_of(tmp_path, text)
    assert any("须为 0" in m
               for m in messages_at(error, "my_scheme.toml", header_line(text, 'name = "差"')))


def test_bad_severity(tmp_path: Path) -> None:
    text = edit(SHIPPED, 'code = "F"', '"较严重" = 3', '"严重" = 3')
    error = errors_of(tmp_path, text)
    messages = messages_at(error, "my_scheme.toml", header_line(text, 'code = "F"'))
    assert any("严重程度「严重」未知" in m for m in messages), error.issues
    assert any("缺少严重程度「较严重」" in m for m in messages), error.issues


def test_non_positive_parameters_and_unknown_keys(tmp_path: Path) -> None:
    text = edit(SHIPPED, 'code = "T-WU"', "per_amount = 100", "per_amount = 0")
    text = edit(text, 'code = "D-WET"', "cap = 5", "cap = -1\npionts = 2")
    text = edit(text, 'code = "T-CON"', 'years = "end"', 'years = "last"')
    error = errors_of(tmp_path, text)
    wu = messages_at(error, "my_scheme.toml", header_line(text, 'code = "T-WU"'))
    wet = messages_at(error, "my_scheme.toml", header_line(text, 'code = "D-WET"'))
    con = messages_at(error, "my_scheme.toml", header_line(text, 'code = "T-CON"'))
    assert any("per_amount 须大于 0" in m for m in wu)
    assert any("cap 须大于 0" in m for m in wet) and any("pionts" in m for m in wet)
    assert any("years" in m and "last" in m for m in con)


def test_all_errors_reported_together(tmp_path: Path) -> None:
    text = edit(SHIPPED, "code = 4", "max = 35", "max = 30")
    text = edit(text, 'code = "T-CULT"', 'kind = "target_missed"', 'kind = "nope"')
    text = edit(text, 'code = "T-FSV"', 'indicator = "FSV"', 'indicator = "XX"')
    text = edit(text, 'code = "RF1"', 'grade_cap = "较差"', 'grade_cap = "很差"')
    error = errors_of(tmp_path, text)
    rows = {i.location.row for i in error.issues}
    assert {header_line(text, "code = 1"), header_line(text, 'code = "T-CULT"'),
            header_line(text, 'code = "T-FSV"'), header_line(text, 'code = "RF1"')} <= rows
    assert all(i.location.file == "my_scheme.toml" for i in error.issues)


def test_toml_syntax_error_has_a_line(tmp_path: Path) -> None:
    error = errors_of(tmp_path, SHIPPED.replace('name = "好"', 'name = "好'))
    assert error.issues[0].location.row == header_line(SHIPPED, 'name = "好"') + 1
