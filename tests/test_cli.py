"""The command line: exit codes, messages and the machine-readable contracts (DESIGN.md §5)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import SAMPLE_REGION

from balancesheet.cli import main
from balancesheet.resources import sample_data_dir

PROBLEMS_FILE = sample_data_dir() / "problems" / "stocks_with_errors.csv"
ROW_KEYS = {"item", "name", "parent", "opening", "additions", "reductions", "closing", "observed_closing",
            "discrepancy", "additions_by_factor", "reductions_by_factor"}
PROBLEM_KEYS = {"severity", "kind", "region", "year", "resource", "item", "expected", "actual", "difference",
                "message"}


def run(argv: list[str]) -> int:
    """main(argv) as an exit code (argparse usage errors raise SystemExit)."""
    try:
        return main(argv)
    except SystemExit as exc:
        return int(exc.code or 0)


def strict_json(text: str) -> object:
    """json.loads that refuses NaN/Infinity (not JSON, breaks other readers)."""
    def refuse(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture
def db(sample_db: Path, tmp_path: Path) -> str:
    copy = tmp_path / "cli.db"
    shutil.copy(sample_db, copy)
    return str(copy)


def out_of(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> str:
    capsys.readouterr()
    assert run(argv) == code
    return capsys.readouterr().out


# ---------------------------------------------------------------------------------------------

def test_demo_creates_a_database_and_refuses_to_overwrite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.db"
    assert run(["demo", str(path)]) == 0
    out = capsys.readouterr().out
    assert path.exists() and SAMPLE_REGION in out
    size = path.stat().st_size
    assert run(["demo", str(path)]) == 2
    err = capsys.readouterr().err
    assert "--force" in err and "已存在" in err
    assert path.stat().st_size == size
    assert run(["demo", str(path), "--force"]) == 0
    info = strict_json(out_of(capsys, ["info", str(path), "--json"]))
    assert [r["code"] for r in info["regions"]] == ["990100", SAMPLE_REGION]


def test_info_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    info = strict_json(out_of(capsys, ["info", db, "--json"]))
    assert {"regions", "officials", "audits"} <= set(info)
    regions = {r["code"]: r for r in info["regions"]}
    assert set(regions) == {"990100", SAMPLE_REGION}
    for r in regions.values():
        assert {"code", "name", "years"} <= set(r)
    assert regions[SAMPLE_REGION]["years"] == list(range(2018, 2026))
    assert regions["990100"]["years"] == []
    assert "青岚县" in regions[SAMPLE_REGION]["name"]
    officials = {o["id"]: o for o in info["officials"]}
    assert set(officials) == {"GL001", "GL002", "GL003"}
    for o in officials.values():
        assert {"id", "name", "post", "region", "start", "end"} <= set(o)
        assert o["region"] == SAMPLE_REGION
    assert officials["GL001"]["start"] == "2018-07-16" and officials["GL001"]["end"] == "2023-04-12"
    assert officials["GL003"]["end"] is None
    assert isinstance(info["audits"], list)


def test_info_text(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = out_of(capsys, ["info", db])
    assert SAMPLE_REGION in out and "2018–2025" in out and "GL002" in out


def test_check_clean_year_exits_0(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = out_of(capsys, ["check", db, "--region", SAMPLE_REGION, "--year", "2025"])
    assert "校验通过" in out
    assert strict_json(out_of(capsys, ["check", db, "--region", SAMPLE_REGION, "--year", "2025", "--json"])) == []


def test_check_after_importing_the_problems_file_exits_1(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["import", db, str(PROBLEMS_FILE)]) == 0, capsys.readouterr().err
    assert run(["check", db, "--region", SAMPLE_REGION, "--year", "2025"]) == 1


def _inject(db: str) -> None:
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE stock SET value = value + 12.34 WHERE year = 2025 AND resource = 'land' "
                     "AND item = '0101'")


def test_check_with_errors_exits_1_and_json_lists_problems(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    _inject(db)
    out = out_of(capsys, ["check", db, "--region", SAMPLE_REGION, "--year", "2025"], code=1)
    assert "[错误]" in out and "0101" in out
    problems = strict_json(out_of(capsys, ["check", db, "--region", SAMPLE_REGION, "--year", "2025", "--json"],
                                  code=1))
    assert isinstance(problems, list) and problems
    for p in problems:
        assert set(p) >= PROBLEM_KEYS
        assert p["region"] == SAMPLE_REGION and p["year"] == 2025
    balance = [p for p in problems if p["kind"] == "balance" and p["item"] == "0101"]
    assert len(balance) == 1
    assert balance[0]["difference"] == pytest.approx(12.34, abs=1e-6)
    assert balance[0]["severity"] == "error" and balance[0]["resource"] == "land"
    # a generous tolerance accepts it: exit 0
    assert run(["check", db, "--region", SAMPLE_REGION, "--year", "2025", "--tolerance", "20"]) == 0


@pytest.mark.parametrize("resource", ["land", "forest", "water", "湿地"])
def test_table_json_contract(db: str, capsys: pytest.CaptureFixture[str], resource: str) -> None:
    data = strict_json(out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2024",
                                       "--resource", resource, "--json"]))
    assert {"region", "year", "resource", "unit", "rows"} <= set(data)
    assert data["region"] == SAMPLE_REGION and data["year"] == 2024
    assert data["resource"] == {"湿地": "wetland"}.get(resource, resource)
    assert data["unit"] == {"water": "万立方米"}.get(resource, "公顷")
    assert len(data["rows"]) > 10
    for row in data["rows"]:
        assert set(row) >= ROW_KEYS, row["item"]
        assert set(row["additions_by_factor"]) == {"human", "natural", "other"}
        assert set(row["reductions_by_factor"]) == {"human", "natural", "other"}
        assert row["parent"] is None or isinstance(row["parent"], str)
    stocks = [r for r in data["rows"] if r.get("kind") == "stock" and r["opening"] is not None]
    assert stocks
    for r in stocks:
        assert r["closing"] == pytest.approx(r["opening"] + r["additions"] - r["reductions"], abs=1e-6)
        assert r["discrepancy"] == pytest.approx(r["observed_closing"] - r["closing"], abs=1e-6)
        assert r["additions"] == pytest.approx(sum(r["additions_by_factor"].values()), abs=1e-6)


def test_table_json_roots_have_a_null_parent(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = strict_json(out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2024",
                                       "--resource", "land", "--json"]))
    rows = {r["item"]: r for r in data["rows"]}
    assert rows["T"]["parent"] is None
    assert rows["0101"]["parent"] == "01"
    assert rows["T"]["observed_closing"] == pytest.approx(238645.0)


def test_table_csv_parses(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2024", "--resource", "forest", "--csv"])
    rows = list(csv.DictReader(io.StringIO(text)))
    by_item = {r["item"]: r for r in rows}
    assert {"F1", "F11", "F3", "V1"} <= set(by_item)
    assert {"opening", "additions", "reductions", "closing", "observed_closing", "discrepancy"} <= set(rows[0])
    data = json.loads(out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2024",
                                       "--resource", "forest", "--json"]))
    f11 = next(r for r in data["rows"] if r["item"] == "F11")
    assert float(by_item["F11"]["opening"]) == pytest.approx(f11["opening"], abs=1e-6)
    assert float(by_item["F11"]["additions"]) == pytest.approx(f11["additions"], abs=1e-6)
    assert float(by_item["F11"]["closing"]) == pytest.approx(f11["closing"], abs=1e-6)


def test_table_text_and_span(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    out = out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2024", "--resource", "土地"])
    assert "存量及变动表" in out and "水田" in out
    span = json.loads(out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2024", "--from", "2020",
                                       "--resource", "land", "--json"]))
    assert span["year_from"] == 2020 and span["year"] == 2024
    assert run(["table", db, "--region", SAMPLE_REGION, "--year", "2024", "--from", "2024",
                "--resource", "land"]) == 2


def test_matrix_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = strict_json(out_of(capsys, ["matrix", db, "--region", SAMPLE_REGION, "--from", "2020", "--to", "2024",
                                       "--json"]))
    assert {"region", "from", "to", "unit", "classes", "cells"} <= set(data)
    assert (data["from"], data["to"], data["unit"]) == (2020, 2024, "公顷")
    n = len(data["classes"])
    assert n == 13 and len(data["cells"]) == n and all(len(row) == n for row in data["cells"])
    table = json.loads(out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2020",
                                        "--resource", "land", "--json"]))
    stock_2020 = {r["item"]: r["observed_closing"] for r in table["rows"]}
    for code, row in zip(data["classes"], data["cells"], strict=True):
        assert sum(row) == pytest.approx(stock_2020[code], abs=1e-4), code
    table = json.loads(out_of(capsys, ["table", db, "--region", SAMPLE_REGION, "--year", "2024",
                                        "--resource", "land", "--json"]))
    stock_2024 = {r["item"]: r["observed_closing"] for r in table["rows"]}
    for j, code in enumerate(data["classes"]):
        assert sum(row[j] for row in data["cells"]) == pytest.approx(stock_2024[code], abs=1e-4), code


def test_matrix_csv_and_level_two(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    text = out_of(capsys, ["matrix", db, "--region", SAMPLE_REGION, "--from", "2024", "--to", "2025", "--csv",
                           "--level", "2"])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:2] == ["class", "name"] and len(rows[0]) == 2 + 56 + 1
    assert len(rows) == 1 + 56 + 1
    assert run(["matrix", db, "--region", SAMPLE_REGION, "--from", "2025", "--to", "2024"]) == 2


def test_bad_usage_exits_2(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", db, "--year", "2025"]) == 2
    assert "--region" in capsys.readouterr().err
    assert run(["table", db, "--region", SAMPLE_REGION, "--year", "2025"]) == 2  # no --resource
    assert run(["table", db, "--region", SAMPLE_REGION, "--year", "x", "--resource", "land"]) == 2
    assert run(["nonsense"]) == 2
    assert run([]) == 2
    assert run(["table", db, "--region", SAMPLE_REGION, "--year", "2025", "--resource", "gold"]) == 2


def test_unknown_region_exits_2_naming_known_regions(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["check", db, "--region", "990199", "--year", "2025"],
                 ["table", db, "--region", "990199", "--year", "2025", "--resource", "land"],
                 ["matrix", db, "--region", "990199", "--from", "2024", "--to", "2025"]):
        capsys.readouterr()
        assert run(argv) == 2
        err = capsys.readouterr().err
        assert "990199" in err and "区划" in err
        assert "990121" in err and "青岚县" in err


def test_missing_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nowhere.db"
    for argv in (["info", str(missing)], ["check", str(missing), "--region", SAMPLE_REGION, "--year", "2025"]):
        capsys.readouterr()
        assert run(argv) == 2
        assert "nowhere.db" in capsys.readouterr().err
    assert not missing.exists()


def test_init_refuses_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.db"
    assert run(["init", str(path)]) == 0
    assert run(["init", str(path)]) == 2
    info = strict_json(out_of(capsys, ["info", str(path), "--json"]))
    assert info == {"regions": [], "officials": [], "audits": []}


# ---------------------------------------------------------------------------------------------
# The module entry point, as a real process
# ---------------------------------------------------------------------------------------------

def _process(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "balancesheet", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120)


def test_module_entry_point_as_a_process(db: str, tmp_path: Path) -> None:
    info = _process("info", db, "--json")
    assert info.returncode == 0, info.stderr
    assert SAMPLE_REGION in [r["code"] for r in strict_json(info.stdout)["regions"]]
    _inject(db)
    dirty = _process("check", db, "--region", SAMPLE_REGION, "--year", "2025", "--json")
    assert dirty.returncode == 1
    assert any(p["kind"] == "balance" for p in strict_json(dirty.stdout))
    usage = _process("check", db, "--year", "2025")
    assert usage.returncode == 2 and "--region" in usage.stderr
    missing = _process("info", str(tmp_path / "missing.db"))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
