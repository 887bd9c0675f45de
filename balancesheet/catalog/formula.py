"""Safe arithmetic formulas over item references, e.g. ``[F3] / [land:T] * 100``.

Formulas are parsed with :mod:`ast` and only ``+ - * /``, numbers, parentheses and references
are accepted: a catalog file can never run code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

_REF = re.compile(r"\[([^\[\]]+)\]")


@dataclass(frozen=True)
class Ref:
    """A reference to an item or group: ``resource`` None means the formula's own resource."""

    resource: str | None
    code: str

    def qualified(self, default: str) -> tuple[str, str]:
        """(resource, code) with the formula's resource filled in."""
        return (self.resource or default, self.code)


class FormulaError(ValueError):
    """A formula that does not parse or uses something other than arithmetic."""


@dataclass(frozen=True)
class Formula:
    """A parsed formula: its text, its references and its syntax tree."""

    text: str
    refs: tuple[Ref, ...]
    tree: ast.Expression

    def evaluate(self, value_of: Callable[[Ref], Any]) -> Any:
        """Evaluate with ``value_of(ref)``; values may be floats or pandas Series (vectorised)."""
        return _eval(self.tree.body, self.refs, value_of)

    def unit_conflicts(self, unit_of: Callable[[Ref], str | None]) -> list[tuple[str, str]]:
        """Pairs of different units joined by + or − (a catalog error)."""
        conflicts: list[tuple[str, str]] = []
        _unit(self.tree.body, self.refs, unit_of, conflicts)
        return conflicts


def parse(text: str) -> Formula:
    """Parse ``text``; raise FormulaError on anything but arithmetic over references."""
    refs: list[Ref] = []

    def substitute(match: re.Match[str]) -> str:
        inner = match.group(1).strip()
        resource, _, code = inner.rpartition(":")
        refs.append(Ref(resource.strip() or None, code.strip()))
        return f" __ref{len(refs) - 1} "

    if re.search(r"[A-Za-z_]", _REF.sub(" ", text)):
        raise FormulaError(f"公式中只能有 [引用]、数字、+ - * / 和括号：{text}")
    source = _REF.sub(substitute, text)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"公式无法解析：{text}") from exc
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if not node.id.startswith("__ref"):
                raise FormulaError(f"公式中「{node.id}」不是引用，引用须写成 [代码]：{text}")
        elif not isinstance(node, _ALLOWED):
            raise FormulaError(f"公式只允许 + - * / 、数字和括号：{text}")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError(f"公式中只允许数字常量：{text}")
    if not refs:
        raise FormulaError(f"公式没有引用任何项目：{text}")
    return Formula(text, tuple(refs), tree)


_ALLOWED = (
    ast.Expression, ast.BinOp, ast.UnaryOp, ast.Constant, ast.Name, ast.Load,
    ast.Add, ast.Sub, ast.Mult, ast.Div, ast.USub, ast.UAdd,
)


def _ref_index(node: ast.Name) -> int:
    return int(node.id.removeprefix("__ref"))


def _eval(node: ast.AST, refs: tuple[Ref, ...], value_of: Callable[[Ref], Any]) -> Any:
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return value_of(refs[_ref_index(node)])
    if isinstance(node, ast.UnaryOp):
        operand = _eval(node.operand, refs, value_of)
        return -operand if isinstance(node.op, ast.USub) else operand
    assert isinstance(node, ast.BinOp)
    left = _eval(node.left, refs, value_of)
    right = _eval(node.right, refs, value_of)
    if isinstance(node.op, ast.Add):
        return left + right
    if isinstance(node.op, ast.Sub):
        return left - right
    if isinstance(node.op, ast.Mult):
        return left * right
    return _divide(left, right)


def _divide(left: Any, right: Any) -> Any:
    # Division by zero means "not defined" (a share of zero sections), never an exception.
    if isinstance(right, int | float):
        return float("nan") if right == 0 else left / right
    return left / right.where(right != 0)


def _unit(node: ast.AST, refs: tuple[Ref, ...], unit_of: Callable[[Ref], str | None],
          conflicts: list[tuple[str, str]]) -> str | None:
    if isinstance(node, ast.Name):
        return unit_of(refs[_ref_index(node)])
    if isinstance(node, ast.UnaryOp):
        return _unit(node.operand, refs, unit_of, conflicts)
    if isinstance(node, ast.BinOp):
        left = _unit(node.left, refs, unit_of, conflicts)
        right = _unit(node.right, refs, unit_of, conflicts)
        if isinstance(node.op, ast.Add | ast.Sub):
            if left and right and left != right:
                conflicts.append((left, right))
            return left or right
    return None
