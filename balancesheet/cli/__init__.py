"""Command line ``balancesheet``: exit 0 on success, 1 when checks find errors, 2 on bad input."""

from __future__ import annotations

import argparse
import sys

from balancesheet.errors import UserError

EXIT_OK, EXIT_CHECK_ERRORS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # noqa: D102 - argparse hook
        self.print_usage(sys.stderr)
        sys.stderr.write(f"用法错误 / usage error: {message}\n运行 `{self.prog} -h` 查看帮助。\n")
        raise SystemExit(EXIT_BAD_INPUT)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    from balancesheet.cli import commands

    parser = _Parser(prog="balancesheet",
                     description="县级自然资源资产负债表与领导干部自然资源资产离任审计 / "
                                 "natural-resource balance sheets and departure audits")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser, metavar="COMMAND")
    commands.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``balancesheet``."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")  # Chinese on a Windows console
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or EXIT_OK)
    except UserError as exc:
        sys.stderr.write(f"错误 / error: {exc}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        sys.stderr.write("已取消 / cancelled\n")
        return EXIT_BAD_INPUT


def gui_main() -> int:
    """Entry point of ``balancesheet-gui``: the desktop application."""
    return main(["gui", *sys.argv[1:]])
