"""The unit converter (balancesheet/units.py): exact factors, spellings, refusals."""

from __future__ import annotations

import pandas as pd
import pytest

from balancesheet import units
from balancesheet.errors import UserError
from balancesheet.units import convert, factor


def test_one_hectare_is_exactly_fifteen_mu() -> None:
    assert convert(15, "亩", "公顷") == 1
    assert convert(1, "公顷", "亩") == 15
    assert factor("公顷", "亩") == 15
    # Whole hectares given in 亩 come back as whole hectares (no float residue).
    assert [convert(15 * k, "亩", "公顷") for k in (2, 7, 100, 1234)] == [2, 7, 100, 1234]
    assert convert(1500, "亩", "公顷") == 100


def test_square_kilometre_is_100_hectares() -> None:
    assert convert(1, "km²", "公顷") == 100
    assert convert(2, "平方公里", "ha") == 200
    assert convert(3, "平方千米", "公顷") == 300
    assert convert(2386.45, "km2", "公顷") == pytest.approx(238645.0, abs=1e-9)
    assert convert(100, "公顷", "平方公里") == pytest.approx(1.0)


def test_wan_mu_and_square_metre() -> None:
    assert convert(1.5, "万亩", "公顷") == pytest.approx(1000.0)
    assert convert(3, "万亩", "亩") == pytest.approx(30000.0)
    assert convert(10000, "平方米", "公顷") == pytest.approx(1.0)
    assert convert(25000, "m²", "公顷") == pytest.approx(2.5)
    assert convert(1, "公顷", "m2") == pytest.approx(10000.0)


def test_cubic_metre_chain() -> None:
    assert convert(1, "万立方米", "立方米") == 10000
    assert convert(1, "亿立方米", "万立方米") == 10000
    assert convert(1, "亿立方米", "立方米") == 10**8
    assert convert(2.5, "亿立方米", "万立方米") == pytest.approx(25000.0)
    assert convert(35000, "立方米", "万立方米") == pytest.approx(3.5)
    assert convert(1, "万方", "m³") == 10000
    assert convert(7, "方", "立方米") == 7


@pytest.mark.parametrize(("spelling", "expected_ha"), [
    ("ｈａ", 1.0),        # full-width letters typed by a Chinese input method
    ("ｋｍ２", 100.0),    # full-width km2
    ("ｋｍ²", 100.0),
    ("㎡", 0.0001),      # the square-metre compatibility character
    ("HA", 1.0),
    ("Ha", 1.0),
    ("KM2", 100.0),
    (" 公顷 ", 1.0),
    ("hm²", 1.0),
    ("km^2", 100.0),
])
def test_spellings_full_width_and_case(spelling: str, expected_ha: float) -> None:
    assert units.is_known(spelling)
    assert convert(1, spelling, "公顷") == pytest.approx(expected_ha)


def test_unit_returns_canonical_symbol() -> None:
    assert units.unit("ｈａ").symbol == "公顷"
    assert units.unit("KM²").symbol == "平方公里"
    assert units.unit("万m3").symbol == "万立方米"
    assert units.unit("mu").symbol == "亩"


@pytest.mark.parametrize("bad", ["furlong", "公里", "亩亩", "", "acre"])
def test_unknown_unit_is_a_user_error_naming_the_unit(bad: str) -> None:
    assert not units.is_known(bad)
    with pytest.raises(UserError) as exc:
        convert(1, bad, "公顷")
    assert f"「{bad}」" in exc.value.message
    with pytest.raises(UserError) as exc2:
        factor("公顷", bad)
    assert f"「{bad}」" in exc2.value.message


def test_cross_dimension_is_refused() -> None:
    with pytest.raises(UserError) as exc:
        convert(1, "公顷", "立方米")
    assert "公顷" in exc.value.message and "立方米" in exc.value.message
    assert "dimension" in exc.value.message_en
    with pytest.raises(UserError):
        factor("亩", "万立方米")
    with pytest.raises(UserError):
        convert(1, "万元", "个")
    assert not units.same_dimension("公顷", "立方米")
    assert units.same_dimension("亩", "km²")


def test_convert_works_on_a_pandas_series() -> None:
    series = pd.Series([15.0, 30.0, 1500.0], index=["a", "b", "c"])
    out = convert(series, "亩", "公顷")
    assert isinstance(out, pd.Series)
    assert list(out.index) == ["a", "b", "c"]
    assert out.tolist() == pytest.approx([1.0, 2.0, 100.0])
    water = convert(pd.Series([1.0, 0.25]), "亿立方米", "万立方米")
    assert water.tolist() == pytest.approx([10000.0, 2500.0])
    # Same unit: the very same values come back.
    same = convert(series, "公顷", "ha")
    assert same.tolist() == [15.0, 30.0, 1500.0]
