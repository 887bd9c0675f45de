"""The core is headless: it never imports Qt, and works with PySide6 absent."""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "balancesheet"

BLOCKED_RUN = textwrap.dedent("""
    import importlib, importlib.abc, pkgutil, sys

    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name == "PySide6" or name.startswith(("PySide6.", "shiboken6", "ui")):
                raise ImportError(f"blocked for this test: {name}")
            return None

    sys.meta_path.insert(0, Block())
    import balancesheet
    for mod in pkgutil.walk_packages(balancesheet.__path__, "balancesheet."):
        if mod.name != "balancesheet.__main__":
            importlib.import_module(mod.name)
    from balancesheet.cli import main
    db = sys.argv[1]
    assert main(["demo", db]) == 0
    assert main(["check", db, "--region", "990121", "--year", "2024"]) == 0
    assert main(["table", db, "--region", "990121", "--year", "2024", "--resource", "forest", "--json"]) == 0
    assert main(["matrix", db, "--region", "990121", "--from", "2020", "--to", "2024", "--csv"]) == 0
    assert not any(m.startswith("PySide6") for m in sys.modules), "PySide6 was imported"
    print("HEADLESS-OK")
""")


def test_core_runs_with_pyside6_blocked(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", BLOCKED_RUN, str(tmp_path / "h.db")],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "HEADLESS-OK" in result.stdout


def _launcher_imports(tree: ast.AST) -> set[int]:
    """Line numbers of imports inside ``cmd_gui``: the one place the CLI starts the desktop app."""
    return {n.lineno for f in ast.walk(tree) if isinstance(f, ast.FunctionDef) and f.name == "cmd_gui"
            for n in ast.walk(f) if isinstance(n, ast.Import | ast.ImportFrom)}


def test_no_core_module_imports_qt_or_ui() -> None:
    offenders = []
    for path in CORE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        allowed = _launcher_imports(tree) if path.name == "commands.py" else set()
        for node in ast.walk(tree):
            if getattr(node, "lineno", None) in allowed:
                continue
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names
                          if n.split(".")[0] in ("PySide6", "shiboken6", "ui", "PyQt5", "PyQt6")]
    assert offenders == []
