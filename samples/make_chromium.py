"""A report as a browser prints it: an HTML sample printed to PDF by headless Chromium → samples/.

Chromium breaks table rows across pages without closing them (the continued row has side rules
but no top rule) and writes Kangxi-radical code points for some characters (⼆ ⾏ ⽌) in the
text layer: both are what real "printed from the website" reports look like.

Needs Debian's chromium; skipped with a message where it is not installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCES = {"chromium-print-kaifa-2023": HERE / "formats" / "web-site-utf8-kaifa-2023.shtml"}


def print_pdf(html: Path, out: Path) -> None:
    """Print one page to PDF with headless Chromium (no network, no header/footer)."""
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                        "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
                        f"--print-to-pdf={out}", "--no-pdf-header-footer", html.as_uri()],
                       check=True, capture_output=True, timeout=120)


def main(wanted: list[str]) -> None:
    """Write each Chromium-printed sample with the truth of the page it was printed from."""
    if not shutil.which("chromium"):
        print("chromium not installed: Chromium-printed samples not regenerated")
        return
    for name, html in SOURCES.items():
        if wanted and not any(w in name for w in wanted):
            continue
        out = HERE / f"{name}.pdf"
        print_pdf(html, out)
        truth = json.loads(html.with_suffix(".json").read_text(encoding="utf-8"))
        import pypdfium2

        truth.update(file=out.name, layout="chromium-print", format="pdf", pages=len(pypdfium2.PdfDocument(out)),
                     notes=f"{html.name} printed to PDF by headless Chromium: the requests table breaks inside a "
                           "row and the continued row has no top rule; Kangxi radicals in the text layer.")
        truth.pop("html", None)
        (HERE / f"{name}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{name:40s} chromium-print {out.stat().st_size // 1024}KB")
