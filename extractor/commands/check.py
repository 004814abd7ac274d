"""`nianbao check FILE... [--json]`: extract each report, validate it, print the findings.

Exit 0: no error findings; 1: at least one error finding; 2: a file could not be read (one
line naming the file and the reason on stderr; the other files are still checked).
"""

from __future__ import annotations

import json
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from extractor.errors import ReportError
from schemas.report import Finding, json_number

SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
JSON_FIELDS = ("file", "rule", "severity", "table", "row", "column", "expected", "found", "cells", "message",
               "message_en")


def add_parser(sub):
    """Register the subcommand."""
    parser = sub.add_parser("check", help="extract and check reports: 勾稽 relations, values, narrative")
    parser.add_argument("files", nargs="+", metavar="FILE", help="report files (PDF)")
    parser.add_argument("--json", action="store_true", help="print the findings as a JSON list")
    return parser


def finding_json(f: Finding) -> dict:
    """The JSON form of a finding for `check --json` (plus difference, root, quote, page)."""
    d = f.to_dict()
    out = {k: d[k] for k in JSON_FIELDS}
    out.update(difference=d["difference"], root=d["root"], quote=d["quote"], page=d["page"])
    return out


def run(args) -> int:
    """Check every file; see the module docstring for the exit codes."""
    from extractor import extract
    from schemas.validate import has_errors, validate

    unreadable = False
    findings: list[Finding] = []
    checked = []
    for path in args.files:
        try:
            report = extract(path)
        except ReportError as exc:
            print(f"nianbao: {exc}", file=sys.stderr)
            unreadable = True
            continue
        except (OSError, ValueError) as exc:  # a file the extractor did not anticipate
            print(f"nianbao: {path}: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}",
                  file=sys.stderr)
            unreadable = True
            continue
        report_findings = validate(report)
        for f in report_findings:
            f.file = path
        findings += report_findings
        checked.append((path, report, report_findings))
    if args.json:
        json.dump([finding_json(f) for f in findings], sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
    else:
        console = Console()
        for path, report, report_findings in checked:
            print_findings(console, path, report, report_findings)
    if unreadable:
        return 2
    return 1 if has_errors(findings) else 0


def print_findings(console: Console, path: str, report, findings: list[Finding]) -> None:
    """One report's findings as a rich table in Chinese."""
    head = f"{path} · {report.issuer or '(发文机关未识别)'} · {report.year or '?'} 年"
    if not findings:
        console.print(Text(f"{head}:未发现问题", style="green"))
        return
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_ZH}
    summary = ",".join(f"{SEVERITY_ZH[s]} {n}" for s, n in counts.items() if n)
    view = Table(title=f"{head}({summary})", title_justify="left", show_lines=True)
    view.add_column("级别", no_wrap=True)
    view.add_column("规则", no_wrap=True)
    view.add_column("页", justify="right", no_wrap=True)
    view.add_column("说明", overflow="fold")
    for f in findings:
        pages = sorted({c.get("page") for c in f.cells if c.get("page")} | ({f.page} if f.page else set()))
        view.add_row(Text(SEVERITY_ZH.get(f.severity, f.severity), style=SEVERITY_STYLE.get(f.severity, "")),
                     f.rule + (" ★" if f.root else ""), ",".join(str(p) for p in pages),
                     f.message)
    console.print(view)


__all__ = ["add_parser", "run", "finding_json", "json_number"]
