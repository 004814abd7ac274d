"""Scanned variants of the text samples → samples/scans/<name>.pdf + <name>.json.

Each page of a text sample is rasterised with pypdfium2 (150 or 200 dpi, grayscale), laid on a
grey paper tone, rotated by up to 1°, given sensor noise and saved as a JPEG page of an image-only
PDF (Pillow), so the PDF has no text layer at all. `scan-mixed-*` keeps the prose pages as text and
scans only the table pages; `scan-split-*` comes from a sample whose requests table breaks across
two pages. The truth is the source sample's, with `"layout": "scan-..."`.

    .venv/bin/python samples/make_scans.py        # or through samples/generate.py
"""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "scans"

# name, source sample, dpi, rotation (degrees, + = counter-clockwise), noise sigma, paper grey, pages to scan
SCANS = [
    dict(name="scan-150-jiangqiao-2023", source="word-ruled-jiangqiao-2023", dpi=150, angle=0.6, noise=5.0,
         grey=226, seed=1, layout="scan-150",
         notes="word-ruled-jiangqiao-2023 rasterised at 150 dpi, rotated 0.6°, grey paper, noise; image only"),
    dict(name="scan-200-taiping-2024", source="word-ruled-taiping-2024", dpi=200, angle=-0.9, noise=5.0,
         grey=214, seed=2, layout="scan-200",
         notes="word-ruled-taiping-2024 rasterised at 200 dpi, rotated −0.9°, darker grey paper, noise; "
               "large counts and a decimal fee; image only"),
    dict(name="scan-split-qinghe-2022", source="split-no-header-qinghe-2022", dpi=200, angle=0.4, noise=4.0,
         grey=222, seed=3, layout="scan-split",
         notes="split-no-header-qinghe-2022 rasterised at 200 dpi, rotated 0.4°: the requests table breaks "
               "across two scanned pages with no repeated header; image only"),
    dict(name="scan-mixed-heping-2022", source="word-ruled-heping-2022", dpi=150, angle=-0.5, noise=4.0,
         grey=230, seed=4, layout="scan-mixed", scan_pages="tables",
         notes="word-ruled-heping-2022 with only its table pages scanned (150 dpi, −0.5°); prose pages keep "
               "their text layer"),
    dict(name="scan-error-requests-row_total", source="error-requests-row_total", dpi=150, angle=0.8, noise=5.0,
         grey=224, seed=5, layout="scan-150",
         notes="error-requests-row_total rasterised at 150 dpi, rotated 0.8°: the same two requests.row_total "
               "failures must be found through OCR"),
]
JPEG_QUALITY = 35


def scan_page(pdf_page, dpi: int, angle: float, noise: float, grey: int, rng):
    """One PDF page → a grayscale PIL image that looks scanned."""
    import numpy as np
    from PIL import Image

    img = pdf_page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
    a = np.asarray(img, dtype=np.float32)
    a = a * (grey / 255.0)  # paper tone: white → grey, ink stays dark
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    img = img.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=grey)
    a = np.asarray(img, dtype=np.float32)
    a = a + rng.normal(0.0, noise, a.shape)
    specks = rng.random(a.shape) < 0.0004  # dust
    a[specks] = rng.uniform(40, 120, int(specks.sum()))
    return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))


def table_pages(path: Path) -> set[int]:
    """0-based pages of a text PDF that carry a statutory table (the extractor's own text pass)."""
    sys.path.insert(0, str(HERE.parent))
    from extractor.pdf_source import text_pass

    text = text_pass(str(path))
    return {p - 1 for ps in text.table_pages.values() for p in ps if p - 1 < len(text.pages)
            and any(p in hits for hits in text.table_pages.values())}


def images_to_pdf(images, dpi: int) -> bytes:
    """Grayscale images → an image-only PDF (one JPEG per page, page size from the dpi)."""
    buf = io.BytesIO()
    images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=float(dpi),
                   quality=JPEG_QUALITY)
    return buf.getvalue()


def make(spec: dict) -> Path:
    """Write one scanned sample and its truth; return the PDF path."""
    import numpy as np
    import pypdfium2 as pdfium

    src = HERE / f"{spec['source']}.pdf"
    rng = np.random.default_rng(spec["seed"])
    doc = pdfium.PdfDocument(str(src))
    n = len(doc)
    wanted = table_pages(src) if spec.get("scan_pages") == "tables" else set(range(n))
    images = [scan_page(doc[i], spec["dpi"], spec["angle"], spec["noise"], spec["grey"], rng) for i in sorted(wanted)]
    scanned = pdfium.PdfDocument(images_to_pdf(images, spec["dpi"]))
    out = pdfium.PdfDocument.new()
    order = sorted(wanted)
    for i in range(n):
        if i in wanted:
            out.import_pages(scanned, [order.index(i)])
        else:
            out.import_pages(doc, [i])
    OUT.mkdir(exist_ok=True)
    pdf = OUT / f"{spec['name']}.pdf"
    buf = io.BytesIO()
    out.save(buf)
    pdf.write_bytes(buf.getvalue())
    truth = json.loads((HERE / f"{spec['source']}.json").read_text(encoding="utf-8"))
    truth.update(file=pdf.name, layout=spec["layout"], source_sample=f"{spec['source']}.pdf",
                 scanned_pages=[i + 1 for i in order],
                 notes=spec["notes"] + ". Source notes: " + truth.get("notes", ""))
    (OUT / f"{spec['name']}.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return pdf


def main(wanted: list[str] | None = None) -> int:
    total = 0
    for spec in SCANS:
        if wanted and not any(w in spec["name"] for w in wanted):
            continue
        pdf = make(spec)
        size = pdf.stat().st_size
        total += size
        print(f"{spec['name']:40s} {spec['layout']:12s} {size // 1024}KB")
        assert size < 1_500_000, size
    assert total < 8_000_000, total
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
