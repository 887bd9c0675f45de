"""Account catalogs: the shipped files load, and every invalid file is reported with file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write_csv

from balancesheet.catalog import CatalogFile, build_catalog, load_catalog
from balancesheet.catalog.loader import shipped_files
from balancesheet.cli import main
from balancesheet.errors import CatalogError, Location
from balancesheet.project import Project

FIRST_LEVEL = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]


def shipped(name: str) -> CatalogFile:
    return next(f for f in shipped_files() if f.name == name)


def others(*names: str) -> list[CatalogFile]:
    return [f for f in shipped_files() if f.name not in names]


def block_line(text: str, marker: str) -> int:
    """1-based line of the ``[[...]]`` header of the block holding the line ``marker``."""
    lines = text.splitlines()
    hit = next(i for i, line in enumerate(lines) if line.strip() == marker)
    while not lines[hit].lstrip().startswith("[["):
        hit -= 1
    return hit + 1


def errors_of(files: list[CatalogFile]) -> CatalogError:
    with pytest.raises(CatalogError) as info:
        build_catalog(files)
    assert info.value.issues, "a CatalogError must list its issues"
    return info.value


def issues_at(error: CatalogError, file: str, row: int) -> list[str]:
    return [i.message for i in error.issues if i.location.file == file and i.location.row == row]


def extension(name: str, body: str) -> CatalogFile:
    return CatalogFile(name, body)


# ---------------------------------------------------------------------------------------------
# The shipped catalogs
# ---------------------------------------------------------------------------------------------

def test_shipped_catalogs_load_four_resources_and_indicators() -> None:
    catalog = load_catalog()
    assert set(catalog.accounts) == {"land", "forest", "water", "wetland"}
    assert len(catalog.indicators) >= 10
    assert catalog.resolve_indicator("CULT") == "CULT"
    assert catalog.accounts["land"].unit == "公顷"
    assert catalog.accounts["water"].unit == "万立方米"
    assert catalog.account("土地").resource == "land"


def test_land_hierarchy_aliases_and_memo_item() -> None:
    land = load_catalog().accounts["land"]
    assert land.children["T"] == FIRST_LEVEL
    assert land.items["0101"].parent == "01"
    assert land.children["01"] == ["0101", "0102", "0103"]
    assert land.is_leaf("09")
    assert land.items["PBF"].parent is None
    assert "PBF" not in land.leaves_under("T")
    assert land.aliases["0201K"] == "0201"
    assert land.resolve_item("0201K") == "0201"
    assert land.resolve_item("1104A") == "1104"
    assert land.resolve_item("水田") == "0101"
    assert land.resolve_item("0199") is None
    # 56 second-level classes (09 has none and counts as its own leaf)
    assert len(land.leaves_under("T")) == 56


def test_land_groups_partition_the_leaves_under_t() -> None:
    land = load_catalog().accounts["land"]
    assert set(land.groups) == {"G1", "G2", "G3"}
    seen: list[str] = []
    for group in land.groups.values():
        for member in group.members:
            seen.extend(land.leaves_under(member))
    assert len(seen) == len(set(seen)), "a leaf belongs to two groups"
    assert sorted(seen) == sorted(land.leaves_under("T"))


def test_forest_and_water_formulas_and_links() -> None:
    catalog = load_catalog()
    forest = catalog.accounts["forest"]
    assert forest.items["F3"].kind == "derived"
    assert forest.items["F4"].unit == "%"
    assert [(link.left, link.right_resource, link.right) for link in forest.links] == [("F1", "land", "03")]
    wetland = catalog.accounts["wetland"]
    assert [(link.left, link.right_resource, link.right) for link in wetland.links] == [("SD", "land", "00")]
    assert catalog.accounts["water"].items["W0"].formula == "[W1] + [W2] - [W3]"


def test_shipped_links_point_at_the_link_block_line() -> None:
    forest_text = shipped("forest.toml").text
    link = load_catalog().accounts["forest"].links[0]
    assert link.source.file == "forest.toml"
    assert link.source.row == block_line(forest_text, 'left = "F1"')


# ---------------------------------------------------------------------------------------------
# Validation errors: file name and line of the offending block
# ---------------------------------------------------------------------------------------------

LOCAL = "land-local.toml"


def test_unknown_parent_reports_file_and_line() -> None:
    text = (
        'resource = "land"\n'            # 1
        "extends = true\n"               # 2
        "\n"                             # 3
        "[[item]]\n"                     # 4
        'code = "1299"\n'                # 5
        'name = "本地其他土地"\n'          # 6
        'parent = "12"\n'                # 7
        "\n"                             # 8
        "[[item]]\n"                     # 9
        'code = "0199A"\n'               # 10
        'name = "无上级"\n'               # 11
        'parent = "0199"\n'              # 12
    )
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    assert len(error.issues) == 1
    issue = error.issues[0]
    assert issue.location.file == LOCAL
    assert issue.location.row == 9
    assert "0199" in issue.message
    assert "land-local.toml" in str(error) and "第 9 行" in str(error)


def test_duplicate_code_in_a_modified_shipped_file() -> None:
    base = shipped("land.toml").text
    text = base + '\n[[item]]\ncode = "0102"\nname = "水浇地（重复）"\nparent = "01"\n'
    line = len(base.splitlines()) + 2
    error = errors_of(others("land.toml") + [CatalogFile("land.toml", text)])
    found = issues_at(error, "land.toml", line)
    assert found and "0102" in found[0] and "重复" in found[0]


def test_extension_reusing_a_shipped_code_names_the_extension_file_and_line() -> None:
    text = 'resource = "land"\nextends = true\n\n[[item]]\ncode = "0101"\nname = "水田"\nparent = "01"\n'
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    assert [(i.location.file, i.location.row) for i in error.issues] == [(LOCAL, 4)]
    assert "0101" in error.issues[0].message


def test_bad_kind() -> None:
    text = 'resource = "forest"\nextends = true\n[[item]]\ncode = "F9"\nname = "x"\nkind = "stok"\n'
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    assert issues_at(error, "f.toml", 3)
    assert "kind" in issues_at(error, "f.toml", 3)[0]


def test_unknown_unit() -> None:
    text = 'resource = "forest"\nextends = true\n\n\n[[item]]\ncode = "F9"\nname = "x"\nunit = "英亩"\n'
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    found = issues_at(error, "f.toml", 5)
    assert found and "英亩" in found[0]


def test_derived_without_formula_and_formula_on_a_stock() -> None:
    text = (
        'resource = "forest"\nextends = true\n'
        '[[item]]\ncode = "F9"\nname = "x"\nkind = "derived"\n'                        # 3
        '[[item]]\ncode = "F8"\nname = "y"\nformula = "[F11] + [F12]"\n'              # 7
    )
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    assert {(i.location.file, i.location.row) for i in error.issues} == {("f.toml", 3), ("f.toml", 7)}


def test_formula_referencing_an_unknown_item() -> None:
    base = shipped("forest.toml").text
    text = base.replace('formula = "[F11] + [F12] + [F131] + [F2]"', 'formula = "[F11] + [F12] + [F139] + [F2]"')
    assert text != base
    error = errors_of(others("forest.toml") + [CatalogFile("forest.toml", text)])
    line = block_line(text, 'formula = "[F11] + [F12] + [F139] + [F2]"')
    found = issues_at(error, "forest.toml", line)
    assert found and "F139" in found[0]


def test_formula_referencing_an_unknown_resource_item() -> None:
    text = ('resource = "forest"\nextends = true\n[[item]]\ncode = "F9"\nname = "x"\nkind = "derived"\n'
            'formula = "[F3] / [land:TT] * 100"\nunit = "%"\n')
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    found = issues_at(error, "f.toml", 3)
    assert found and "land:TT" in found[0]


def test_formula_adding_hectares_and_cubic_metres_is_a_unit_conflict() -> None:
    text = ('resource = "forest"\nextends = true\n\n[[item]]\ncode = "F9"\nname = "x"\nkind = "derived"\n'
            'formula = "[F11] + [V11]"\n')
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    found = issues_at(error, "f.toml", 4)
    assert found and "公顷" in found[0] and "立方米" in found[0]


def test_formula_dividing_different_units_is_allowed() -> None:
    text = ('resource = "forest"\nextends = true\n[[item]]\ncode = "F9"\nname = "x"\nkind = "derived"\n'
            'unit = "立方米/公顷"\nformula = "[V11] / [F11]"\n')
    catalog = build_catalog(shipped_files() + [extension("f.toml", text)])
    assert catalog.accounts["forest"].items["F9"].kind == "derived"


def test_formula_cycle_between_two_derived_items() -> None:
    text = (
        'resource = "forest"\nextends = true\n'
        '[[item]]\ncode = "FX"\nname = "x"\nkind = "derived"\nformula = "[FY] + [F11]"\n'   # 3
        '[[item]]\ncode = "FY"\nname = "y"\nkind = "derived"\nformula = "[FX] + [F12]"\n'   # 8
    )
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    assert error.issues
    assert all(i.location.file == "f.toml" and i.location.row in (3, 8) for i in error.issues)
    assert any("循环" in i.message for i in error.issues)


def test_unknown_key_typo_is_reported() -> None:
    text = 'resource = "land"\nextends = true\n\n[[item]]\ncode = "1299"\nnmae = "本地其他土地"\nparent = "12"\n'
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    found = issues_at(error, LOCAL, 4)
    assert any("nmae" in m for m in found)


def test_unknown_key_typo_in_a_cause_is_reported() -> None:
    text = ('resource = "land"\nextends = true\n[[cause]]\ncode = "LOC"\nnmae = "本地原因"\n'
            'factor = "human"\ndirection = "transfer"\n')
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    found = issues_at(error, LOCAL, 3)
    assert any("nmae" in m for m in found)


def test_unknown_top_level_key_is_reported() -> None:
    text = 'resource = "land"\nextends = true\nunits = "公顷"\n'
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    assert any("units" in i.message and i.location.file == LOCAL for i in error.issues)


def test_toml_syntax_error_reports_the_line() -> None:
    text = 'resource = "land"\nextends = true\n\n[[item]]\ncode = "1299\nname = "x"\n'
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    assert [(i.location.file, i.location.row) for i in error.issues] == [(LOCAL, 5)]
    assert "TOML" in error.issues[0].message


@pytest.mark.parametrize(("field", "value"), [("factor", "human-ish"), ("direction", "sideways")])
def test_cause_with_bad_factor_or_direction(field: str, value: str) -> None:
    values = {"factor": "human", "direction": "transfer", field: value}
    text = ('resource = "land"\nextends = true\n\n\n[[cause]]\ncode = "LOC"\nname = "本地原因"\n'
            f'factor = "{values["factor"]}"\ndirection = "{values["direction"]}"\n')
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    found = issues_at(error, LOCAL, 5)
    assert found and field in found[0]


def test_cause_applies_to_unknown_item() -> None:
    text = ('resource = "forest"\nextends = true\n[[cause]]\ncode = "LOC"\nname = "n"\nfactor = "自然"\n'
            'direction = "add"\napplies = ["F99"]\n')
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    found = issues_at(error, "f.toml", 3)
    assert found and "F99" in found[0]


@pytest.mark.parametrize("formula", [
    "__import__('os')",
    "[F11] + __import__('os').system('true')",
    "[F11].real",
    "abs([F11])",
    "[F11] ** 2",
    "[F11] if [F12] else [F2]",
    "'abc'",
    "[F11] + 'abc'",
    "[F11] + __ref3",
])
def test_formulas_are_arithmetic_only(formula: str) -> None:
    text = ('resource = "forest"\nextends = true\n[[item]]\ncode = "F9"\nname = "x"\nkind = "derived"\n'
            f'formula = "{formula.replace(chr(34), chr(92) + chr(34))}"\n')
    error = errors_of(shipped_files() + [extension("f.toml", text)])
    assert [(i.location.file, i.location.row) for i in error.issues] == [("f.toml", 3)]


def test_all_issues_are_collected_not_only_the_first() -> None:
    text = (
        'resource = "land"\nextends = true\n'
        '[[item]]\ncode = "1299"\nname = "a"\nparent = "1299X"\n'     # 3
        '[[item]]\ncode = "1298"\nname = "b"\nkind = "bogus"\n'       # 7
        '[[cause]]\ncode = "LOC"\nname = "c"\nfactor = "x"\ndirection = "transfer"\n'  # 11
    )
    error = errors_of(shipped_files() + [extension(LOCAL, text)])
    assert {i.location.row for i in error.issues} == {3, 7, 11}
    assert "3 处错误" in error.message


def test_missing_resource_catalog_is_an_error() -> None:
    with pytest.raises(CatalogError):
        build_catalog(others("water.toml"))


# ---------------------------------------------------------------------------------------------
# Extensions
# ---------------------------------------------------------------------------------------------

GOOD_EXTENSION = """\
# 本县扩展：本地地类与变动原因
resource = "land"
extends = true

[[item]]
code = "12L1"
name = "本地其他闲置地"
name_en = "Local idle land"
parent = "12"

[[cause]]
code = "LOC"
name = "本地整治搬迁"
factor = "人为"
direction = "transfer"

[[alias]]
code = "12L1A"
target = "12L1"
name = "本地闲置地（旧码）"
"""


def test_extension_adds_a_cause_and_a_child_item() -> None:
    base = load_catalog()
    assert "LOC" not in base.accounts["land"].causes
    catalog = build_catalog(shipped_files() + [extension(LOCAL, GOOD_EXTENSION)])
    land = catalog.accounts["land"]
    assert land.resolve_cause("LOC") == "LOC"
    assert land.resolve_cause("本地整治搬迁") == "LOC"
    assert land.causes["LOC"].factor == "human"
    assert land.causes["LOC"].source.file == LOCAL
    assert land.children["12"][-1] == "12L1"
    assert land.items["12L1"].unit == "公顷"
    assert land.ancestors("12L1") == ["12L1", "12", "T"]
    order = land.order
    assert order.index("1207") < order.index("12L1") < order.index("PBF")
    assert land.resolve_item("12L1A") == "12L1"
    assert "12L1" in land.leaves_under("T")
    # load_catalog takes the same extension list
    assert "12L1" in load_catalog([extension(LOCAL, GOOD_EXTENSION)]).accounts["land"].items


def test_extension_of_an_unknown_resource() -> None:
    text = 'resource = "minerals"\nextends = true\n'
    error = errors_of(shipped_files() + [extension("m.toml", text)])
    assert error.issues[0].location.file == "m.toml"


def test_project_add_extension_is_stored_and_seen_by_a_fresh_open(tmp_path: Path) -> None:
    db = tmp_path / "ext.db"
    path = tmp_path / LOCAL
    path.write_text(GOOD_EXTENSION, encoding="utf-8")
    p = Project.open(db, create=True)
    try:
        assert "12L1" not in p.catalog.accounts["land"].items
        p.add_extension(path)
        assert "12L1" in p.catalog.accounts["land"].items
    finally:
        p.close()
    path.unlink()  # the project holds its own copy
    q = Project.open(db)
    try:
        land = q.catalog.accounts["land"]
        assert "12L1" in land.items and land.items["12L1"].parent == "12"
        assert [f.name for f in q.extensions()] == [LOCAL]
        # the extension is usable for imports: a land change onto the local class with the local cause
        from balancesheet.importer import import_file

        import_file(q, write_csv(tmp_path / "r.csv", ["region", "name", "area"], [["990001", "县", "100"]]))
        import_file(q, write_csv(tmp_path / "s.csv", ["region", "year", "resource", "item", "value"],
                                      [["990001", 2020, "land", "1201", "100"]]))
        import_file(q, write_csv(tmp_path / "c.csv", ["region", "year", "from", "to", "area", "cause"],
                                      [["990001", 2021, "1201", "12L1A", "2.5", "LOC"]]))
        flows = q.store.read_sql("SELECT from_item, to_item, cause, value FROM flow")
        assert flows.to_dict("records") == [{"from_item": "1201", "to_item": "12L1", "cause": "LOC", "value": 2.5}]
    finally:
        q.close()


def test_project_add_extension_rejects_a_bad_file_and_stores_nothing(tmp_path: Path) -> None:
    db = tmp_path / "ext.db"
    bad = tmp_path / "bad-local.toml"
    bad.write_text('resource = "land"\nextends = true\n\n[[item]]\ncode = "0101"\nname = "重复"\n',
                   encoding="utf-8")
    p = Project.open(db, create=True)
    try:
        with pytest.raises(CatalogError) as info:
            p.add_extension(bad)
        assert info.value.issues[0].location == Location("bad-local.toml", row=4)
        assert p.extensions() == []
    finally:
        p.close()


def test_cli_extend_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    assert main(["init", str(db)]) == 0
    good = tmp_path / LOCAL
    good.write_text(GOOD_EXTENSION, encoding="utf-8")
    capsys.readouterr()
    assert main(["extend", str(db), str(good)]) == 0
    assert LOCAL in capsys.readouterr().out
    bad = tmp_path / "bad-local.toml"
    bad.write_text('resource = "land"\nextends = true\n\n\n\n[[item]]\ncode = "0102"\nname = "x"\n'
                   'parent = "01"\n', encoding="utf-8")
    assert main(["extend", str(db), str(bad)]) == 2
    err = capsys.readouterr().err
    assert "bad-local.toml" in err and "第 6 行" in err
    assert main(["extend", str(db), str(tmp_path / "missing.toml")]) == 2
    p = Project.open(db)
    try:
        assert [f.name for f in p.extensions()] == [LOCAL]
    finally:
        p.close()
