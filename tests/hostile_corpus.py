"""A corpus of hostile PDFs written byte by byte: bombs, huge images, cyclic page trees, deep nesting,
thousands of pages. Used by tests/test_hostile.py; `python tests/hostile_corpus.py DIR` writes it.

Every file is small on disk; the hostility is in what a reader would have to do with it.
"""

from __future__ import annotations

import sys
import zlib
from pathlib import Path


def pdf_bytes(objects: list[bytes], root: int = 1, trailer_extra: bytes = b"") -> bytes:
    """A PDF from numbered object bodies (object i+1 is objects[i]) with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += (b"trailer\n<< /Size %d /Root %d 0 R " % (len(objects) + 1, root) + trailer_extra
            + b">>\nstartxref\n%d\n%%%%EOF\n" % xref)
    return bytes(out)


def stream(data: bytes, extra: bytes = b"", compress: bool = True) -> bytes:
    if compress:
        data = zlib.compress(data, 9)
        extra += b" /Filter /FlateDecode"
    return b"<< /Length %d%s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def simple_page_doc(content: bytes, resources: bytes = b"<< /Font << /F1 4 0 R >> >>", extra: list[bytes] = ()) -> bytes:
    """Catalog 1, Pages 2, Page 3, Font 4, content 5, then `extra` objects 6, 7, …"""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources %s /Contents 5 0 R >>" % resources,
        FONT,
        content,
        *extra,
    ])


def bomb_stream(size: int) -> bytes:
    """A FlateDecode stream that inflates to about `size` bytes of a repeated text operator.

    One deflate block (after a full flush it refers to nothing before it) repeated: made in
    milliseconds whatever `size`; the trailing checksum is wrong, which readers notice only at the end."""
    unit = b"BT /F1 12 Tf 72 720 Td (bomb) Tj ET\n" * (1 << 16)
    comp = zlib.compressobj(9)
    first = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    block = comp.compress(unit) + comp.flush(zlib.Z_FULL_FLUSH)
    data = first + block * max(0, size // len(unit) - 1) + comp.flush()
    return b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"


def decompression_bomb(size: int = 3 << 30) -> bytes:
    """A one-page PDF whose content stream inflates to `size` bytes (3 GiB by default) from ~3 MB."""
    return simple_page_doc(bomb_stream(size))


def huge_image() -> bytes:
    """A page showing a 100,000 × 100,000 RGB image (30 GB decoded) whose data is a few kilobytes."""
    comp = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * 300_000
    data = comp.compress(row * 20) + comp.flush()
    image = (b"<< /Type /XObject /Subtype /Image /Width 100000 /Height 100000 /BitsPerComponent 8 "
             b"/ColorSpace /DeviceRGB /Filter /FlateDecode /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")
    return simple_page_doc(stream(b"q 595 0 0 842 0 0 cm /Im1 Do Q BT /F1 12 Tf 72 72 Td (image) Tj ET"),
                           resources=b"<< /Font << /F1 4 0 R >> /XObject << /Im1 6 0 R >> >>", extra=[image])


def huge_page() -> bytes:
    """A page of 14,400 × 14,400 points with /UserUnit 75 (a kilometre square): a renderer must not follow it."""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 14400 14400] /UserUnit 75 "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        FONT, stream(b"BT /F1 12 Tf 72 72 Td (wide) Tj ET"),
    ])


def cyclic_pages() -> bytes:
    """A page tree whose /Kids lead back to itself (2 → 3 → 2), with a wrong /Count."""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 1000000 >>",
        b"<< /Type /Pages /Parent 2 0 R /Kids [2 0 R 3 0 R] /Count 1000000 >>",
        FONT,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 6 0 R >>",
        stream(b"BT /F1 12 Tf 72 720 Td (cycle) Tj ET"),
    ])


def self_parent_page() -> bytes:
    """A page that is its own kid and its own parent, and a content array that names itself."""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
    ])


def deep_nesting(depth: int = 200_000) -> bytes:
    """An array nested `depth` levels deep inside the page dictionary, and a dictionary chain as deep."""
    arrays = b"[" * depth + b"]" * depth
    dicts = b"<< /A " * (depth // 4) + b"1" + b" >>" * (depth // 4)
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R /Deep 6 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R /Nested " + arrays + b" >>",
        FONT, stream(b"BT /F1 12 Tf 72 720 Td (deep) Tj ET"),
        dicts,
    ])


def deep_content(depth: int = 100_000) -> bytes:
    """A content stream of `depth` nested q (save) operators and inline arrays."""
    return simple_page_doc(stream(b"q " * depth + b"BT /F1 12 Tf 72 720 Td [" * 10 + b"(x) Tj ET " + b"Q " * depth))


def many_pages(n: int = 3000, first: bytes | None = None) -> bytes:
    """`n` pages of prose (one line each) after the pages of `first` (a real report), in one flat page tree.

    Built with pypdf when `first` is given, so that the report's own pages keep their fonts."""
    if first is not None:
        import io

        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(first)))
        blank = writer.pages[-1]
        w, h = float(blank.mediabox.width), float(blank.mediabox.height)
        for _ in range(n - len(writer.pages)):
            writer.add_blank_page(w, h)
        buf = io.BytesIO()
        writer.write(buf)
        return buf.getvalue()
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", None, FONT, stream(b"BT /F1 12 Tf 72 720 Td (page) Tj ET")]
    kids = []
    for i in range(n):
        kids.append(b"%d 0 R" % (len(objects) + 1))
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> "
                       b"/Contents 4 0 R >>")
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(kids) + b"] /Count %d >>" % n
    return pdf_bytes(objects)


def broken_xref() -> bytes:
    """A one-page PDF whose xref offsets all point at the wrong place and whose startxref lies."""
    data = simple_page_doc(stream(b"BT /F1 12 Tf 72 720 Td (xref) Tj ET"))
    head, _, _ = data.rpartition(b"startxref")
    body, _, xref = head.partition(b"xref\n")
    lines = xref.split(b"\n")
    lines = [b"%010d 00000 n " % (7 * i + 3) if ln.endswith(b" n ") else ln for i, ln in enumerate(lines)]
    return body + b"xref\n" + b"\n".join(lines) + b"startxref\n999999999\n%%EOF\n"


def object_stream_loop() -> bytes:
    """Indirect references that resolve to one another forever (6 → 7 → 6) as /Length and /Contents."""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 6 0 R >>",
        FONT,
        b"<< >>",
        b"7 0 R",
        b"6 0 R",
    ])


HOSTILE = {
    "bomb.pdf": decompression_bomb,
    "huge-image.pdf": huge_image,
    "huge-page.pdf": huge_page,
    "cyclic-pages.pdf": cyclic_pages,
    "self-parent.pdf": self_parent_page,
    "deep-nesting.pdf": deep_nesting,
    "deep-content.pdf": deep_content,
    "pages-3000.pdf": many_pages,
    "broken-xref.pdf": broken_xref,
    "reference-loop.pdf": object_stream_loop,
}


def write(folder: Path, names=None) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, make in HOSTILE.items():
        if names is None or name in names:
            path = folder / name
            path.write_bytes(make())
            out[name] = path
    return out


if __name__ == "__main__":
    for name, path in write(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")).items():
        print(f"{path}  {path.stat().st_size:,} bytes")
