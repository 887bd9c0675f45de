"""The one unit converter: physical units used in the accounts and their spellings.

Every quantity is stored in the unit its catalog item declares; imports convert with
:func:`factor` / :func:`convert`. 1 公顷 = 15 亩 exactly; 1 km² = 100 ha.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

from balancesheet.errors import UserError

T = TypeVar("T")


@dataclass(frozen=True)
class Unit:
    """A unit: its canonical Chinese symbol, dimension, and size in the dimension's reference unit."""

    symbol: str
    dimension: str
    scale: Fraction
    name_en: str


# Reference units: area → 公顷, volume → 立方米, money → 万元, count → 个, ratio → 1.
_UNITS: tuple[tuple[Unit, tuple[str, ...]], ...] = (
    (Unit("公顷", "area", Fraction(1), "ha"), ("ha", "hm2", "hm²", "公顷", "hectare")),
    (Unit("亩", "area", Fraction(1, 15), "mu"), ("亩", "mu")),
    (Unit("万亩", "area", Fraction(10000, 15), "10k mu"), ("万亩",)),
    (Unit("平方公里", "area", Fraction(100), "km²"), ("km2", "km²", "平方公里", "平方千米", "sqkm")),
    (Unit("平方米", "area", Fraction(1, 10000), "m²"), ("m2", "m²", "平方米")),
    (Unit("立方米", "volume", Fraction(1), "m³"), ("m3", "m³", "立方米", "方")),
    (Unit("万立方米", "volume", Fraction(10000), "10⁴ m³"), ("万立方米", "万m3", "万m³", "万方")),
    (Unit("亿立方米", "volume", Fraction(10**8), "10⁸ m³"), ("亿立方米", "亿m3", "亿m³", "亿方")),
    (Unit("万元", "money", Fraction(1), "10k CNY"), ("万元",)),
    (Unit("元", "money", Fraction(1, 10000), "CNY"), ("元", "cny", "yuan")),
    (Unit("亿元", "money", Fraction(10000), "10⁸ CNY"), ("亿元",)),
    (Unit("个", "count", Fraction(1), "count"), ("个", "处", "count")),
    (Unit("%", "percent", Fraction(1), "%"), ("%", "％", "percent", "百分比")),
    (Unit("1", "ratio", Fraction(1), "ratio"), ("1", "ratio", "无量纲")),
    (Unit("立方米/公顷", "volume/area", Fraction(1), "m³/ha"), ("立方米/公顷", "m3/ha", "m³/ha")),
    (Unit("立方米/万元", "volume/money", Fraction(1), "m³/10k CNY"), ("立方米/万元", "m3/万元", "m³/万元")),
)

_BY_SPELLING: dict[str, Unit] = {}
for _unit, _spellings in _UNITS:
    for _s in (*_spellings, _unit.symbol):
        _BY_SPELLING[_s.lower()] = _unit


def _normalise(text: str) -> str:
    # NFKC folds full-width letters and digits (ｈａ → ha, ㎡ → m2) as Chinese input methods type them.
    folded = unicodedata.normalize("NFKC", str(text)).strip().lower().replace(" ", "")
    return folded.replace("^2", "2").replace("^3", "3")


def unit(text: str) -> Unit:
    """Return the unit spelled ``text`` (公顷, ha, 亩, km², 万立方米 …); raise UserError if unknown."""
    key = _normalise(text)
    found = _BY_SPELLING.get(key) or _BY_SPELLING.get(str(text).strip().lower())
    if found is None:
        raise UserError(
            f"未知单位「{text}」。可用单位：{known_units()}",
            f"Unknown unit {text!r}.",
        )
    return found


def is_known(text: str) -> bool:
    """True if ``text`` names a unit this tool knows."""
    try:
        unit(text)
    except UserError:
        return False
    return True


def known_units() -> str:
    """The canonical symbols, for messages."""
    return "、".join(u.symbol for u, _ in _UNITS)


def factor(from_unit: str, to_unit: str) -> float:
    """Multiplier converting a value in ``from_unit`` into ``to_unit``; same dimension required."""
    a, b = unit(from_unit), unit(to_unit)
    if a.dimension != b.dimension:
        raise UserError(
            f"单位「{from_unit}」不能换算为「{to_unit}」（量纲不同）",
            f"Cannot convert {from_unit!r} to {to_unit!r}: different dimensions.",
        )
    return float(a.scale / b.scale)


def convert(value: T, from_unit: str, to_unit: str) -> T:
    """Convert a number, or a pandas Series/numpy array, from ``from_unit`` to ``to_unit``."""
    f = factor(from_unit, to_unit)
    return value if f == 1.0 else value * f  # type: ignore[operator, return-value]


def same_dimension(a: str, b: str) -> bool:
    """True if units ``a`` and ``b`` measure the same kind of quantity."""
    return unit(a).dimension == unit(b).dimension
