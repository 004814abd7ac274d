"""The terminal: a progress bar while the batch runs, then the summary, the findings by table, the totals."""

from __future__ import annotations

from rich.console import Console, Group
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from extractor.audit.model import FAILED, STATUS_ZH
from extractor.audit.rows import ordered_findings
from extractor.audit.safe import terminal_text
from schemas.supervision import FAMILIES, FAMILY_ZH
from schemas.vocabulary import TABLE_TITLES, TABLES

STATUS_STYLE = {"ok": "green", "findings": "yellow", "unreadable": "red", "timeout": "red", "too_large": "red", "crashed": "red",
                "interrupted": "magenta"}
SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
SEVERITY_ZH = {"error": "错误", "warning": "警告", "info": "提示"}


class BatchProgress:
    """A rich progress bar: the current file and the running counts by status."""

    def __init__(self, total: int, console: Console):
        self.counts = {s: 0 for s in ("ok", "findings", *FAILED)}
        self.progress = Progress(SpinnerColumn(), TextColumn("[bold]审核[/bold]"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[counts]}", markup=False), TimeElapsedColumn(),
                                 TextColumn("{task.fields[current]}", style="dim", markup=False),
                                 console=console, transient=False)
        self.task = self.progress.add_task("audit", total=total, counts=self._counts(), current="")

    def _counts(self) -> str:
        return " ".join(f"{STATUS_ZH[s]} {n}" for s, n in self.counts.items() if n or s in ("ok", "findings"))

    def __enter__(self):
        self.progress.__enter__()
        return self

    def __exit__(self, *exc):
        self.progress.update(self.task, current="")
        return self.progress.__exit__(*exc)

    def started(self, path: str) -> None:
        self.progress.update(self.task, current=terminal_text(path)[-60:])

    def done(self, result, advance: int = 1) -> None:
        self.counts[result.status] = self.counts.get(result.status, 0) + advance
        self.progress.update(self.task, advance=advance, counts=self._counts())


def summary_table(results) -> Table:
    view = Table(title="审核汇总", title_justify="left")
    for name, kw in (("文件", {"overflow": "fold"}), ("发文机关", {"overflow": "fold"}), ("年度", {}),
                     ("状态", {}), ("错误", {"justify": "right"}), ("警告", {"justify": "right"})):
        view.add_column(name, **kw)
    for r in results:
        status = Text(f"{r.status} {STATUS_ZH.get(r.status, '')}", style=STATUS_STYLE.get(r.status, ""))
        if r.duplicate_of:
            status.append(f"\n(重复:{terminal_text(r.duplicate_of)})", style="dim")
        elif r.status in FAILED and r.reason:
            status.append(f"\n{terminal_text(r.reason)[:120]}", style="dim")
        view.add_row(Text(terminal_text(r.path)), Text(terminal_text(r.issuer or "")), Text(str(r.year or "")),
                     status, Text(str(r.count("error")), style="bold red" if r.count("error") else ""),
                     Text(str(r.count("warning"))))
    return view


def family_table(results) -> Table:
    """Findings per rule family and file: 勾稽 (arithmetic), 完整性, 及时性, 跨年 (history).

    A table of its own beside the summary, so that long file names keep their width there.
    """
    view = Table(title="按规则类别", title_justify="left")
    view.add_column("文件", overflow="fold")
    for f in FAMILIES:
        view.add_column(FAMILY_ZH[f], justify="right")
    for r in results:
        counts = [r.count_family(f) for f in FAMILIES]
        view.add_row(Text(terminal_text(r.path)), *(Text(str(n), style="bold" if n else "") for n in counts))
    return view


def findings_view(result) -> Group:
    """One report's findings, grouped by table, in Chinese."""
    parts = [Text(f"{terminal_text(result.issuer or '(发文机关未识别)')} · {result.year or '?'} 年度 · "
                  f"{terminal_text(result.path)}", style="bold underline")]
    by_table: dict = {}
    for _, f in ordered_findings(result):
        by_table.setdefault(f.table if f.table in TABLES else None, []).append(f)
    for table in [*TABLES, None]:
        if table not in by_table:
            continue
        parts.append(Text(f"  {TABLE_TITLES[table] if table else '其他'}", style="bold"))
        for f in by_table[table]:
            line = Text("    ")
            line.append(f"[{SEVERITY_ZH.get(f.severity, f.severity)}] ", style=SEVERITY_STYLE.get(f.severity, ""))
            line.append(terminal_text(f.message))
            parts.append(line)
    return Group(*parts)


def totals_line(results, seconds: float) -> Text:
    audited = [r for r in results if r.audited]
    counts = {s: sum(1 for r in results if r.status == s) for s in ("ok", "findings", *FAILED)}
    text = Text(f"共 {len(results)} 个文件(重复 {sum(1 for r in results if r.duplicate_of)}):", style="bold")
    for s, n in counts.items():
        if n or s in ("ok", "findings"):
            text.append(f"{STATUS_ZH[s]} {n}  ", style=STATUS_STYLE[s] if n else "")
    text.append(f"错误 {sum(r.count('error') for r in audited)}  警告 {sum(r.count('warning') for r in audited)}"
                f"  提示 {sum(r.count('info') for r in audited)}  用时 {seconds:.1f} 秒")
    return text


def print_results(console: Console, results, seconds: float, out_dir: str) -> None:
    console.print(summary_table(results))
    console.print(family_table(results))
    for r in results:
        if r.audited and r.findings:
            console.print(findings_view(r))
            console.print()
    console.print(totals_line(results, seconds))
    console.print(Text(f"输出:{terminal_text(out_dir)}/ (findings.csv, findings.json, audit.xlsx, report.html, manifest.json)",
                       style="dim"))
