"""The `nianbao` command: one subcommand per module in extractor/commands/."""

from __future__ import annotations

import argparse
import importlib
import sys

from extractor.errors import quiet_parsers

# Each module has add_parser(subparsers) and run(args) -> int (the exit code).
COMMANDS = ("extract", "check", "export", "audit")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand registered."""
    parser = argparse.ArgumentParser(prog="nianbao", description="政府信息公开工作年度报告: extract, check, audit.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in COMMANDS:
        module = importlib.import_module(f"extractor.commands.{name}")
        module.add_parser(sub).set_defaults(run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point: parse, dispatch, exit with the subcommand's code (2 on usage errors)."""
    args = build_parser().parse_args(argv)
    quiet_parsers()
    try:
        return int(args.run(args) or 0)
    except KeyboardInterrupt:
        print("nianbao: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
