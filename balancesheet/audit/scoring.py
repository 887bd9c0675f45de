"""Departure-audit scoring (离任审计评价计分): the scheme file and the score it gives.

The scheme lives in ``accounts/audit_scheme.toml`` (the auditors edit it; the code knows no
point value). It has seven content-area blocks (审计内容) worth 100 points in all, grade bands,
deduction rules and red flags ("重大" problems that cap the grade).

Rule kinds:

- ``target_missed``: a missed target deducts ``ceil(gap / per_amount) * points`` — *per started
  unit*: 152.54 公顷 short at "1 point per 10 公顷" is 16 units = 16 points. ``cap`` limits the
  rule's total; ``binding_only`` limits it to 约束性 targets; ``years`` = ``"end"`` looks at the
  tenure's end year only, ``"each"`` deducts for every missed year.
- ``decline``: tenure-start vs tenure-end value of an indicator, deducting for a change in the
  bad direction (a decrease of a "higher" indicator, an increase of a "lower" one) even without
  a target; same per-started-unit arithmetic and cap.
- ``finding``: points by severity (后果严重 / 较严重 / 一般) per finding, in the block of the
  finding's own content area; a finding may carry its own deduction, which overrides.

Arithmetic: every deduction is rounded to 2 decimals (half up) as shown; a block's deductions
are summed, and if the sum exceeds the block's maximum only the maximum is deducted (a block
never goes below zero). The total (sum of block scores) is rounded to 2 decimals (half up)
**before** grading, so 89.995 → 90.00 → 好 and 89.99 → 较好.

Nothing is dropped silently: a deduction reduced (even to zero) by a rule cap is listed with
its basis, and a miss, decline or finding that deducts nothing is explained in ``Score.notes``.
"""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from balancesheet.errors import CatalogError, Issue, Location, UserError

if TYPE_CHECKING:
    from balancesheet.indicators import TargetResult

SCHEME_FILE = "audit_scheme.toml"
BLOCK_CODES = (1, 2, 3, 4, 5, 6, 7)
KINDS = ("target_missed", "decline", "finding")
SEVERITIES = ("后果严重", "较严重", "一般")
YEARS = ("end", "each")
BETTER = ("higher", "lower")

_TABLE = re.compile(r"^\s*\[\[\s*(\w+)\s*\]\]")
_CODE = re.compile(r"^[0-9A-Za-z_\-]+$")
_TOP_KEYS = {"name", "block", "grade", "rule", "red_flag"}
_KEYS = {
    "block": {"code", "name", "max"},
    "grade": {"name", "min"},
    "red_flag": {"code", "name", "grade_cap"},
    "target_missed": {"code", "name", "block", "kind", "indicator", "binding_only", "per_amount",
                      "points", "cap", "years"},
    "decline": {"code", "name", "block", "kind", "indicator", "per_amount", "points", "cap"},
    "finding": {"code", "name", "block", "kind", "points_by_severity", "cap"},
}
_EPS = 1e-9


# ---------------------------------------------------------------------------------------------
# The scheme
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """One audit content area (审计内容) and its maximum points."""

    code: int
    name: str
    max_points: float
    source: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class GradeBand:
    """A grade (好, 较好 …) given to a total of at least ``min_points``."""

    name: str
    min_points: float
    source: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Rule:
    """A deduction rule; which fields matter depends on ``kind`` (see the module docstring).

    ``block`` is None only for a ``finding`` rule that applies to findings of any block.
    ``cap`` is None only for a ``finding`` rule without a cap.
    """

    code: str
    name: str
    kind: str
    block: int | None
    indicator: str | None = None
    binding_only: bool = True
    per_amount: float = 0.0
    points: float = 0.0
    cap: float | None = None
    years: str = "end"
    points_by_severity: dict[str, float] = field(default_factory=dict)
    source: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class RedFlag:
    """A "重大" problem; when present the grade is at most ``grade_cap``."""

    code: str
    name: str
    grade_cap: str
    source: Location = field(default_factory=Location, compare=False)


@dataclass(frozen=True)
class Scheme:
    """A validated scoring scheme."""

    name: str
    blocks: tuple[Block, ...]
    grades: tuple[GradeBand, ...]  # descending by min_points, the last at 0
    rules: tuple[Rule, ...]
    red_flags: tuple[RedFlag, ...]
    source: str = ""

    def block(self, code: int) -> Block:
        """The block numbered ``code`` (KeyError if absent)."""
        for b in self.blocks:
            if b.code == code:
                return b
        raise KeyError(code)

    def red_flag(self, key: str) -> RedFlag | None:
        """The red flag with code or name ``key``; None if unknown."""
        key = str(key).strip()
        return next((f for f in self.red_flags if key in (f.code, f.name)), None)

    def grade_rank(self, grade: str) -> int:
        """Position of ``grade`` from the best (0); higher is worse."""
        return [g.name for g in self.grades].index(grade)


class _Collector:
    """Gathers issues and knows the line of every [[table]] header of the file."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.issues: list[Issue] = []
        self._lines: dict[str, list[int]] = {}
        for number, line in enumerate(text.splitlines(), start=1):
            if m := _TABLE.match(line):
                self._lines.setdefault(m.group(1), []).append(number)

    def where(self, table: str | None = None, index: int | None = None) -> Location:
        row = None
        if table is not None and index is not None:
            lines = self._lines.get(table, [])
            row = lines[index] if index < len(lines) else None
        return Location(file=self.name, row=row)

    def add(self, location: Location, message: str, message_en: str = "") -> None:
        self.issues.append(Issue(location, message, message_en))


def default_scheme_path() -> Path:
    """The shipped scheme, ``accounts/audit_scheme.toml``."""
    from balancesheet.resources import accounts_dir

    return accounts_dir() / SCHEME_FILE


def load_scheme(path: Path | None = None, indicators: set[str] | None = None) -> Scheme:
    """Load and validate a scheme file (default: the shipped one).

    ``indicators`` are the indicator codes rules may name; None means the shipped indicator
    catalog (pass ``set(project.catalog.indicators)`` to allow a county's own indicators).
    Raises CatalogError listing every problem with file and line.
    """
    path = path or default_scheme_path()
    return parse_scheme(path.read_text(encoding="utf-8"), path.name, indicators)


def parse_scheme(text: str, name: str = SCHEME_FILE, indicators: set[str] | None = None) -> Scheme:
    """Parse and validate the text of a scheme file reported as ``name``; see load_scheme."""
    if indicators is None:
        from balancesheet.catalog import load_catalog

        indicators = set(load_catalog().indicators)
    col = _Collector(name, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"line (\d+)", str(exc))
        col.add(Location(name, row=int(m.group(1)) if m else None), f"TOML 语法错误：{exc}",
                "TOML syntax error")
        _raise(col)
    top = Location(name, row=1)
    for key in sorted(set(data) - _TOP_KEYS):
        col.add(top, f"未知的顶层字段「{key}」（拼写错误？）", f"Unknown top-level key {key!r}")
    blocks = _load_blocks(data, col)
    grades = _load_grades(data, col)
    rules = _load_rules(data, col, {b.code for b in blocks}, indicators)
    red_flags = _load_red_flags(data, col, {g.name for g in grades})
    _raise(col)
    return Scheme(str(data.get("name", "")), tuple(sorted(blocks, key=lambda b: b.code)),
                  tuple(grades), tuple(rules), tuple(red_flags), name)


def _raise(col: _Collector) -> None:
    if col.issues:
        raise CatalogError(
            f"计分办法 {col.name} 有 {len(col.issues)} 处错误，请改正后重试",
            f"The scoring scheme {col.name} has {len(col.issues)} error(s).",
            col.issues,
        )


def _unknown_keys(raw: dict[str, Any], keys: str, loc: Location, col: _Collector) -> None:
    allowed = _KEYS[keys]
    for key in sorted(set(raw) - allowed):
        col.add(loc, f"未知字段「{key}」（拼写错误？）可用字段：{', '.join(sorted(allowed))}",
                f"Unknown key {key!r}")


def _number(raw: dict[str, Any], key: str, loc: Location, col: _Collector, what: str,
            positive: bool = True) -> float | None:
    """A numeric field; adds an issue and returns None when missing or out of range."""
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
        col.add(loc, f"{what}的 {key} 须为数字（现为 {value!r}）", f"{key} must be a number")
        return None
    if positive and value <= 0:
        col.add(loc, f"{what}的 {key} 须大于 0（现为 {value}）", f"{key} must be > 0")
        return None
    if not positive and value < 0:
        col.add(loc, f"{what}的 {key} 不能为负（现为 {value}）", f"{key} must be >= 0")
        return None
    return float(value)


def _tables(data: dict[str, Any], key: str, col: _Collector) -> list[dict[str, Any]]:
    value = data.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        col.add(Location(col.name, row=1), f"「{key}」须写成 [[{key}]] 表",
                f"{key} must be [[{key}]]")
        return []
    return value


def _load_blocks(data: dict[str, Any], col: _Collector) -> list[Block]:
    blocks: dict[int, Block] = {}
    seen: set[int] = set()  # codes written, valid or not: "missing" only for codes never written
    raws = _tables(data, "block", col)
    for i, raw in enumerate(raws):
        loc = col.where("block", i)
        _unknown_keys(raw, "block", loc, col)
        code = raw.get("code")
        if isinstance(code, bool) or code not in BLOCK_CODES:
            col.add(loc, f"审计内容板块的 code 须为 1–7 的整数（现为 {code!r}）",
                    "block code must be 1..7")
            continue
        what = f"第 {code} 项审计内容"
        if code in seen:
            col.add(loc, f"{what}重复定义", f"Duplicate block {code}")
            continue
        seen.add(code)
        name = str(raw.get("name", "")).strip()
        if not name:
            col.add(loc, f"{what}缺少名称 name", f"block {code}: missing name")
        points = _number(raw, "max", loc, col, what)
        if points is None or not name:
            continue
        blocks[code] = Block(code, name, points, loc)
    first = col.where("block", 0) if raws else Location(col.name, row=1)
    missing = [c for c in BLOCK_CODES if c not in seen]
    if missing:
        col.add(first, f"缺少审计内容板块：第 {'、'.join(map(str, missing))} 项（须有 1–7 各一项）",
                f"Missing blocks {missing}")
    total = sum(b.max_points for b in blocks.values())
    if len(blocks) == len(BLOCK_CODES) and abs(total - 100) > _EPS:
        parts = " + ".join(_num(blocks[c].max_points) for c in BLOCK_CODES)
        col.add(first, f"七项审计内容满分合计须为 100 分，现为 {parts} = {_num(total)} 分",
                f"Block maxima sum to {_num(total)}, not 100")
    return list(blocks.values())


def _load_grades(data: dict[str, Any], col: _Collector) -> list[GradeBand]:
    grades: list[GradeBand] = []
    raws = _tables(data, "grade", col)
    for i, raw in enumerate(raws):
        loc = col.where("grade", i)
        _unknown_keys(raw, "grade", loc, col)
        name = str(raw.get("name", "")).strip()
        if not name:
            col.add(loc, "评价等次缺少名称 name", "grade: missing name")
            continue
        if any(g.name == name for g in grades):
            col.add(loc, f"评价等次「{name}」重复", f"Duplicate grade {name!r}")
            continue
        low = _number(raw, "min", loc, col, f"评价等次「{name}」", positive=False)
        if low is None:
            continue
        if low > 100:
            col.add(loc, f"评价等次「{name}」的 min 不能超过 100（现为 {_num(low)}）", "min > 100")
            continue
        if grades and low >= grades[-1].min_points:
            above = grades[-1]
            col.add(loc, f"评价等次须按 min 从高到低排列：「{name}」的 min {_num(low)} "
                         f"不低于上一档「{above.name}」的 {_num(above.min_points)}",
                    "Grades not descending")
            continue
        grades.append(GradeBand(name, low, loc))
    if not raws:
        col.add(Location(col.name, row=1), "缺少评价等次 [[grade]]", "No grades")
    elif grades and grades[-1].min_points != 0:
        col.add(grades[-1].source, f"最后一档评价等次「{grades[-1].name}」的 min 须为 0，"
                                   "否则低分得不到等次", "The last grade must start at 0")
    return grades


def _load_rules(data: dict[str, Any], col: _Collector, blocks: set[int],
                indicators: set[str]) -> list[Rule]:
    rules: list[Rule] = []
    finding_scopes: dict[int | None, Rule] = {}
    for i, raw in enumerate(_tables(data, "rule", col)):
        loc = col.where("rule", i)
        code = str(raw.get("code", "")).strip()
        if not code or not _CODE.match(code):
            col.add(loc, f"规则代码 code 缺失或含字母、数字、- 和 _ 以外的字符（现为 {code!r}）",
                    "rule: missing or invalid code")
            continue
        what = f"规则「{code}」"
        if any(r.code == code for r in rules):
            col.add(loc, f"{what}代码重复", f"Duplicate rule {code!r}")
            continue
        name = str(raw.get("name", "")).strip()
        if not name:
            col.add(loc, f"{what}缺少名称 name", f"{code}: missing name")
        kind = str(raw.get("kind", ""))
        if kind not in KINDS:
            col.add(loc, f"{what}的 kind 须为 {' / '.join(KINDS)}，而不是「{kind}」",
                    f"Unknown rule kind {kind!r}")
            continue
        _unknown_keys(raw, kind, loc, col)
        before = len(col.issues)
        block = raw.get("block")
        if block is None and kind != "finding":
            col.add(loc, f"{what}缺少扣分板块 block（1–7）", f"{code}: missing block")
        elif block is not None and (isinstance(block, bool) or block not in blocks):
            col.add(loc, f"{what}的 block「{block}」不是已定义的审计内容板块（1–7）",
                    f"{code}: unknown block {block!r}")
        rule: Rule | None = None
        if kind == "finding":
            rule = _finding_rule(raw, code, name, block, loc, col, what)
        else:
            indicator = str(raw.get("indicator", "")).strip()
            if indicator not in indicators:
                col.add(loc, f"{what}的指标「{indicator}」不在指标目录中（indicators.toml）",
                        f"{code}: unknown indicator {indicator!r}")
            per = _number(raw, "per_amount", loc, col, what)
            points = _number(raw, "points", loc, col, what)
            cap = _number(raw, "cap", loc, col, what)
            binding_only, years = raw.get("binding_only", True), raw.get("years", "end")
            if kind == "target_missed" and not isinstance(binding_only, bool):
                col.add(loc, f"{what}的 binding_only 须为 true 或 false",
                        "binding_only must be a bool")
            if kind == "target_missed" and years not in YEARS:
                col.add(loc, f"{what}的 years 须为 \"end\"（任期末年）或 "
                             f"\"each\"（每个未达标年份），而不是「{years}」",
                        "years must be end or each")
            if len(col.issues) == before and per and points and cap:
                rule = Rule(code, name, kind, block, indicator, binding_only, per, points, cap,
                            years if kind == "target_missed" else "end", source=loc)
        if rule is None or len(col.issues) > before or not name:
            continue
        if kind == "finding":
            if rule.block in finding_scopes:
                scope = f"第 {rule.block} 项" if rule.block else "不限板块"
                col.add(loc, f"{what}与规则「{finding_scopes[rule.block].code}」重复：{scope}的"
                             "问题只能有一条 finding 规则", "Two finding rules for the same block")
                continue
            finding_scopes[rule.block] = rule
        rules.append(rule)
    return rules


def _finding_rule(raw: dict[str, Any], code: str, name: str, block: int | None, loc: Location,
                  col: _Collector, what: str) -> Rule | None:
    table = raw.get("points_by_severity")
    if not isinstance(table, dict):
        col.add(loc, f"{what}缺少 points_by_severity（{' / '.join(SEVERITIES)} 各扣几分）",
                f"{code}: missing points_by_severity")
        return None
    points: dict[str, float] = {}
    for severity in table:
        if severity not in SEVERITIES:
            col.add(loc, f"{what}的严重程度「{severity}」未知，应为 {' / '.join(SEVERITIES)}",
                    f"{code}: unknown severity {severity!r}")
        else:
            value = _number(table, severity, loc, col, f"{what}「{severity}」", positive=False)
            if value is not None:
                points[severity] = value
    missing = [s for s in SEVERITIES if s not in table]
    if missing:
        col.add(loc, f"{what}缺少严重程度「{'、'.join(missing)}」的扣分",
                f"{code}: missing severities")
    cap = _number(raw, "cap", loc, col, what) if "cap" in raw else None
    return Rule(code, name, "finding", block, points_by_severity=points, cap=cap, source=loc)


def _load_red_flags(data: dict[str, Any], col: _Collector, grades: set[str]) -> list[RedFlag]:
    flags: list[RedFlag] = []
    for i, raw in enumerate(_tables(data, "red_flag", col)):
        loc = col.where("red_flag", i)
        _unknown_keys(raw, "red_flag", loc, col)
        code, name = str(raw.get("code", "")).strip(), str(raw.get("name", "")).strip()
        cap = str(raw.get("grade_cap", "")).strip()
        if not code or not name:
            col.add(loc, "重大问题 [[red_flag]] 须有 code 和 name",
                    "red_flag: code and name required")
        elif any(code in (f.code, f.name) or name in (f.code, f.name) for f in flags):
            col.add(loc, f"重大问题「{code} {name}」重复", f"Duplicate red flag {code!r}")
        elif cap not in grades:
            col.add(loc, f"重大问题「{name}」的 grade_cap「{cap}」不是已定义的评价等次",
                    f"{code}: unknown grade_cap {cap!r}")
        else:
            flags.append(RedFlag(code, name, cap, loc))
    return flags


# ---------------------------------------------------------------------------------------------
# Inputs and outputs
# ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TargetMiss:
    """A target not met in one year; ``gap`` is the shortfall or overdraft (positive), in ``unit``.

    ``better`` ("higher"/"lower") only words the basis (低于/超出); None words it neutrally.
    """

    indicator: str
    name: str
    year: int
    gap: float
    unit: str
    binding: bool
    is_end_year: bool
    better: str | None = None

    @classmethod
    def from_result(cls, result: TargetResult, end_year: int) -> TargetMiss:
        """A miss from an evaluated target (balancesheet.indicators.TargetResult)."""
        return cls(result.indicator, result.name, result.year, float(result.gap or 0.0),
                   result.unit, result.binding, result.year == end_year,
                   "higher" if result.op == ">=" else "lower")


@dataclass(frozen=True)
class Decline:
    """An indicator at the start and end of the tenure; ``better`` is "higher" or "lower"."""

    indicator: str
    name: str
    start_value: float
    end_value: float
    unit: str
    better: str

    @property
    def amount(self) -> float:
        """How much it got worse (positive) — negative or zero when it improved or held."""
        change = self.end_value - self.start_value
        return -change if self.better == "higher" else change


@dataclass(frozen=True)
class FindingInput:
    """An accepted audit finding in content area ``block``.

    ``deduction`` (if set) overrides the scheme's points for its severity; ``red_flag`` is the
    code or name of a 重大 red flag the finding establishes.
    """

    id: str
    block: int
    severity: str
    description: str
    deduction: float | None = None
    red_flag: str | None = None


@dataclass(frozen=True)
class Deduction:
    """Points taken from ``block`` under ``rule``, with the sentence that justifies them."""

    block: int
    rule: str
    rule_name: str
    points: float
    basis: str


@dataclass(frozen=True)
class BlockScore:
    """A block's result; ``deducted`` never exceeds ``max_points``, ``score`` never below 0."""

    block: int
    name: str
    max_points: float
    deducted: float
    score: float
    basis: str = ""


@dataclass(frozen=True)
class Score:
    """The result: per block, every deduction, total, grades and explanations."""

    blocks: list[BlockScore]
    deductions: list[Deduction]
    total: float
    grade_uncapped: str
    grade: str
    red_flags: list[str]  # codes of the red flags found, in scheme order
    notes: list[str]


# ---------------------------------------------------------------------------------------------
# Scoring
# ---------------------------------------------------------------------------------------------

def round2(value: float) -> float:
    """Round half up to 2 decimals (as a person would), on the decimal value shown."""
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def grade_for(scheme: Scheme, total: float) -> str:
    """The first grade (best first) whose minimum ``total`` reaches, rounded to 2 decimals."""
    shown = round2(total)
    for band in scheme.grades:
        if shown >= band.min_points:
            return band.name
    return scheme.grades[-1].name


def score(scheme: Scheme, misses: list[TargetMiss], declines: list[Decline],
          findings: list[FindingInput]) -> Score:
    """Score a tenure: apply every rule, floor each block at zero, grade, apply red flags.

    Raises UserError when an input names an unknown block, severity, red flag or direction.
    """
    _check_inputs(scheme, declines, findings)
    notes: list[str] = []
    deductions: list[Deduction] = []
    ruled_misses: set[str] = set()
    ruled_declines: set[str] = set()
    for rule in scheme.rules:
        if rule.kind == "target_missed":
            ruled_misses.add(rule.indicator or "")
            deductions += _target_rule(rule, misses, notes)
        elif rule.kind == "decline":
            ruled_declines.add(rule.indicator or "")
            deductions += _decline_rule(rule, declines, notes)
    for miss in misses:
        if miss.indicator not in ruled_misses:
            notes.append(f"{_miss_text(miss)}，计分办法没有对应的目标规则，未扣分"
                         "（如需扣分，请作为审计发现问题认定）")
    for decline in declines:
        if decline.indicator not in ruled_declines and decline.amount > _EPS:
            notes.append(f"{_decline_text(decline)}，计分办法没有对应的下降规则，未扣分")
    deductions += _finding_deductions(scheme, findings, notes)
    order = {b.code: i for i, b in enumerate(scheme.blocks)}
    deductions.sort(key=lambda d: order[d.block])  # stable: rule order kept within a block

    blocks = [_block_score(b, [d for d in deductions if d.block == b.code], notes)
              for b in scheme.blocks]
    total = round2(sum(b.score for b in blocks))
    uncapped = grade_for(scheme, total)
    grade, flags = _apply_red_flags(scheme, findings, uncapped, notes)
    return Score(blocks, deductions, total, uncapped, grade, flags, notes)


def _check_inputs(scheme: Scheme, declines: list[Decline], findings: list[FindingInput]) -> None:
    issues: list[Issue] = []
    codes = {b.code for b in scheme.blocks}
    for d in declines:
        if d.better not in BETTER:
            issues.append(Issue(Location(), f"指标「{d.name}」的 better 须为 higher 或 lower",
                                "better must be higher or lower", d.better))
    for f in findings:
        where = f"问题 {f.id}"
        if f.block not in codes:
            issues.append(Issue(Location(), f"{where}的审计内容板块须为 1–7", "unknown block",
                                str(f.block)))
        if f.severity not in SEVERITIES:
            issues.append(Issue(Location(), f"{where}的严重程度须为 {' / '.join(SEVERITIES)}",
                                "unknown severity", f.severity))
        if f.deduction is not None and not f.deduction >= 0:
            issues.append(Issue(Location(), f"{where}的认定扣分不能为负", "negative deduction",
                                str(f.deduction)))
        if f.red_flag and scheme.red_flag(f.red_flag) is None:
            issues.append(Issue(Location(), f"{where}的重大问题类型在计分办法中不存在",
                                "unknown red flag", f.red_flag))
    if issues:
        raise UserError(f"审计计分的输入有 {len(issues)} 处错误", "Invalid scoring input", issues)


def _target_rule(rule: Rule, misses: list[TargetMiss], notes: list[str]) -> list[Deduction]:
    out: list[Deduction] = []
    used = 0.0
    for miss in sorted((m for m in misses if m.indicator == rule.indicator), key=lambda m: m.year):
        if miss.gap <= _EPS:
            notes.append(f"{miss.name} {miss.year} 年缺口为 0，不计未完成，"
                         f"规则「{rule.code}」未扣分")
            continue
        if rule.binding_only and not miss.binding:
            notes.append(f"{_miss_text(miss)}；规则「{rule.code} {rule.name}」只对约束性目标扣分，"
                         "预期性目标未完成不扣分")
            continue
        if rule.years == "end" and not miss.is_end_year:
            notes.append(f"{_miss_text(miss)}；规则「{rule.code} {rule.name}」只按任期末年扣分，"
                         "该年未扣分")
            continue
        units = _started_units(miss.gap, rule.per_amount)
        raw = round2(units * rule.points)
        actual, cap_text = _capped(raw, rule.cap, used)
        used = round2(used + actual)
        per = _tail(_amount(rule.per_amount, miss.unit))
        basis = (f"{_miss_text(miss)}，按每 {per}扣 {_num(rule.points)} 分"
                 f"{_started_text(rule.per_amount, miss.unit)}，扣 {_num(raw)} 分{cap_text}")
        out.append(Deduction(rule.block or 0, rule.code, rule.name, actual, basis))
    return out


def _decline_rule(rule: Rule, declines: list[Decline], notes: list[str]) -> list[Deduction]:
    out: list[Deduction] = []
    used = 0.0
    for decline in (d for d in declines if d.indicator == rule.indicator):
        if decline.amount <= _EPS:
            notes.append(f"{_decline_text(decline)}，未下降，规则「{rule.code} {rule.name}」不扣分")
            continue
        word = "减少" if decline.better == "higher" else "增加"
        units = _started_units(decline.amount, rule.per_amount)
        raw = round2(units * rule.points)
        actual, cap_text = _capped(raw, rule.cap, used)
        used = round2(used + actual)
        per = _tail(_amount(rule.per_amount, decline.unit))
        basis = (f"{_decline_text(decline)}，按每{word} {per}"
                 f"扣 {_num(rule.points)} 分{_started_text(rule.per_amount, decline.unit)}，"
                 f"扣 {_num(raw)} 分{cap_text}")
        out.append(Deduction(rule.block or 0, rule.code, rule.name, actual, basis))
    return out


def _finding_deductions(scheme: Scheme, findings: list[FindingInput],
                        notes: list[str]) -> list[Deduction]:
    out: list[Deduction] = []
    rules = {r.block: r for r in scheme.rules if r.kind == "finding"}
    used: dict[str, float] = {}
    for f in findings:
        rule = rules.get(f.block) or rules.get(None)
        head = f"问题 {f.id}（{f.severity}）：{f.description.rstrip('。；;，, ')}"
        if rule is None and f.deduction is None:
            notes.append(f"{head}；计分办法没有适用于第 {f.block} 项的问题扣分规则，"
                         "且审计组未认定扣分，未扣分")
            continue
        default = rule.points_by_severity.get(f.severity) if rule else None
        if f.deduction is not None:
            raw = round2(f.deduction)
            how = f"审计组认定扣 {_num(raw)} 分"
            if default is not None:
                how += f"（按严重程度「{f.severity}」默认为 {_num(default)} 分）"
        else:
            raw = round2(default or 0.0)
            how = f"按计分办法「{f.severity}」问题每项扣 {_num(raw)} 分"
        code = rule.code if rule else "认定"
        name = rule.name if rule else "审计组认定扣分"
        cap = rule.cap if rule else None
        actual, cap_text = _capped(raw, cap, used.get(code, 0.0))
        used[code] = round2(used.get(code, 0.0) + actual)
        flag = scheme.red_flag(f.red_flag) if f.red_flag else None
        marked = f"（属重大问题「{flag.name}」，另限定评价等次）" if flag else ""
        out.append(Deduction(f.block, code, name, actual, f"{head}{marked}，{how}{cap_text}"))
    return out


def _block_score(block: Block, deductions: list[Deduction], notes: list[str]) -> BlockScore:
    raw = round2(sum(d.points for d in deductions))
    head = f"第 {block.code} 项「{block.name}」满分 {_num(block.max_points)} 分"
    if raw > block.max_points + _EPS:
        basis = (f"{head}，各项扣分合计 {_num(raw)} 分，超过满分，"
                 f"按满分扣 {_num(block.max_points)} 分，本项得 0 分（板块得分不低于 0 分）")
        notes.append(basis)
        return BlockScore(block.code, block.name, block.max_points, block.max_points, 0.0, basis)
    score_ = round2(block.max_points - raw)
    basis = f"{head}，扣 {_num(raw)} 分，得 {_num(score_)} 分"
    return BlockScore(block.code, block.name, block.max_points, raw, score_, basis)


def _apply_red_flags(scheme: Scheme, findings: list[FindingInput], uncapped: str,
                     notes: list[str]) -> tuple[str, list[str]]:
    found: dict[str, list[str]] = {}
    for f in findings:
        if f.red_flag:
            flag = scheme.red_flag(f.red_flag)
            if flag is not None:
                found.setdefault(flag.code, []).append(f.id)
    grade = uncapped
    codes: list[str] = []
    for flag in scheme.red_flags:
        if flag.code not in found:
            continue
        codes.append(flag.code)
        ids = "、".join(found[flag.code])
        head = f"存在重大问题「{flag.name}」（问题 {ids}），评价等次最高为「{flag.grade_cap}」"
        if scheme.grade_rank(flag.grade_cap) > scheme.grade_rank(grade):
            notes.append(f"{head}：按得分应为「{uncapped}」，定为「{flag.grade_cap}」")
            grade = flag.grade_cap
        else:
            notes.append(f"{head}；现等次「{grade}」不高于此，不变")
    return grade, codes


# ---------------------------------------------------------------------------------------------
# Arithmetic and wording
# ---------------------------------------------------------------------------------------------

def _started_units(amount: float, per: float) -> int:
    """Started units of ``per`` in ``amount``: 152.54 / 10 → 16; exact multiples not bumped.

    The quotient is rounded to 9 decimals first, so 0.3 / 0.1 (= 2.9999999999999996 in binary)
    counts 3 and 0.30000000000000004 / 0.1 does not count 4.
    """
    return math.ceil(round(amount / per, 9))


def _capped(raw: float, cap: float | None, used: float) -> tuple[float, str]:
    """Points actually deducted under a rule cap, and the sentence tail saying so."""
    if cap is None:
        return raw, ""
    room = max(round2(cap - used), 0.0)
    actual = min(raw, room)
    before = f"（此前已扣 {_num(used)} 分）" if used > 0 else ""
    full = "，已达上限" if room <= 0 else ""
    return actual, f"，本规则上限 {_num(cap)} 分{before}{full}，实扣 {_num(actual)} 分"


def _num(value: float) -> str:
    """A number as an auditor writes it: 16, 0.5, 152.54 (up to 4 decimals, no trailing zeros)."""
    text = f"{Decimal(repr(round(float(value), 4))).normalize():f}"
    return "0" if text in ("-0", "") else text


def _amount(value: float, unit: str) -> str:
    """An amount of change: "10 公顷", "0.1 个百分点"."""
    if unit == "%":
        return f"{_num(value)} 个百分点"
    return f"{_num(value)} {unit}" if unit and unit != "1" else _num(value)


def _value(value: float, unit: str) -> str:
    """A level: "45.2%", "1200 公顷"."""
    if unit == "%":
        return f"{_num(value)}%"
    return f"{_num(value)} {unit}" if unit and unit != "1" else _num(value)


def _tail(text: str) -> str:
    """``text`` followed by a space when it ends in a digit or % (before a Chinese word)."""
    return f"{text} " if text[-1:].isdigit() or text.endswith("%") else text


def _started_text(per: float, unit: str) -> str:
    """"（不足 10 公顷按 10 公顷计）": a started unit counts as a whole one."""
    one = _tail(_amount(per, unit))
    return f"（不足 {one}按 {one}计）"


def _miss_text(miss: TargetMiss) -> str:
    kind = "约束性" if miss.binding else "预期性"
    gap = _amount(miss.gap, miss.unit)
    if miss.better == "higher":
        return f"{miss.name} {miss.year} 年低于{kind}目标 {gap}"
    if miss.better == "lower":
        return f"{miss.name} {miss.year} 年超出{kind}目标 {gap}"
    return f"{miss.name} {miss.year} 年未完成{kind}目标，差距 {gap}"


def _decline_text(d: Decline) -> str:
    change = d.end_value - d.start_value
    if abs(change) <= _EPS:
        return f"{d.name}任期前后均为 {_value(d.end_value, d.unit)}"
    verb, word = ("增至", "增加") if change > 0 else ("降至", "减少")
    return (f"{d.name}任期内由 {_tail(_value(d.start_value, d.unit))}{verb} "
            f"{_value(d.end_value, d.unit)}，{word} {_amount(abs(change), d.unit)}")


__all__ = [
    "BLOCK_CODES",
    "KINDS",
    "SEVERITIES",
    "Block",
    "BlockScore",
    "Decline",
    "Deduction",
    "FindingInput",
    "GradeBand",
    "RedFlag",
    "Rule",
    "Scheme",
    "Score",
    "TargetMiss",
    "default_scheme_path",
    "grade_for",
    "load_scheme",
    "parse_scheme",
    "round2",
    "score",
]
