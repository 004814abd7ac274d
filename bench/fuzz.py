"""Fuzz the audit: mutate the samples and run the mutants through the audit's worker pool.

    .venv/bin/python bench/fuzz.py --n 10000 [--seed 1] [--workers N] [--timeout 60] [--max-memory 2048]

Mutations (one or two per file, chosen by the seed): byte flips, truncation, chunk deletion,
chunk duplication, xref damage (offsets, startxref), stream damage (bytes inside a stream),
and altered numbers inside content streams (inflated, digits changed, deflated again with a
correct /Length, so the file still parses and the tables read different values).

Prints: files, statuses, tracebacks (an exception escaping the extractor: must be 0), worker
deaths, the slowest file, the peak memory of a worker. Exit 1 when there is a traceback.
"""

from __future__ import annotations

import argparse
import collections
import random
import re
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLES = ROOT / "samples"


def seeds() -> list[Path]:
    """The sample files mutated: every PDF under samples/ (scans included), and the HTML/DOCX formats."""
    files = sorted(SAMPLES.glob("*.pdf")) + sorted((SAMPLES / "formats").glob("*.*"))
    return [p for p in files if p.suffix.lower() in (".pdf", ".html", ".htm", ".docx")]


# ------------------------------------------------------------------ mutations
def flip(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 64)):
        i = rng.randrange(len(b))
        b[i] = rng.randrange(256) if rng.random() < 0.5 else b[i] ^ (1 << rng.randrange(8))
    return bytes(b)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))]


def delete_chunk(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data))
    return data[:i] + data[i + rng.randint(1, max(1, len(data) // 8)):]


def duplicate_chunk(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data))
    chunk = data[i: i + rng.randint(1, max(1, len(data) // 8))]
    j = rng.randrange(len(data))
    return data[:j] + chunk * rng.randint(1, 4) + data[j:]


def damage_xref(rng: random.Random, data: bytes) -> bytes:
    """Shift xref offsets, break the xref keyword, or point startxref elsewhere."""
    choice = rng.randrange(3)
    if choice == 0:
        entries = list(re.finditer(rb"(\d{10}) (\d{5}) n", data))
        if entries:
            b = bytearray(data)
            for m in rng.sample(entries, min(len(entries), rng.randint(1, 8))):
                off = (int(m.group(1)) + rng.randint(-50, 50)) % 10 ** 10
                b[m.start(1): m.end(1)] = b"%010d" % off
            return bytes(b)
    if choice == 1:
        i = data.rfind(b"startxref")
        if i >= 0:
            return data[:i] + b"startxref\n%d\n%%%%EOF\n" % rng.randrange(len(data) * 2)
    i = data.rfind(b"xref")
    return data[:i] + b"xrfe" + data[i + 4:] if i >= 0 else flip(rng, data)


def _streams(data: bytes) -> list[tuple[int, int]]:
    """(start, end) of each stream's bytes."""
    out = []
    for m in re.finditer(rb"stream\r?\n", data):
        end = data.find(b"endstream", m.end())
        if end > m.end() and data[m.start() - 3: m.start()] != b"end":
            out.append((m.end(), end))
    return out


def damage_stream(rng: random.Random, data: bytes) -> bytes:
    spans = _streams(data)
    if not spans:
        return flip(rng, data)
    start, end = rng.choice(spans)
    b = bytearray(data)
    for _ in range(rng.randint(1, 16)):
        if end > start:
            b[rng.randrange(start, end)] = rng.randrange(256)
    return bytes(b)


_NUMBER = re.compile(rb"(?<![\d.])\d{1,6}(?![\d])")


def alter_numbers(rng: random.Random, data: bytes) -> bytes:
    """Inflate a FlateDecode content stream, change some of its numbers, deflate it with a right /Length."""
    candidates = []
    for m in re.finditer(rb"<<((?:(?!>>).){0,400}?)/Length (\d+)((?:(?!>>).){0,400}?)>>\s*stream\r?\n", data, re.S):
        if b"FlateDecode" in m.group(0):
            candidates.append(m)
    rng.shuffle(candidates)
    for m in candidates[:8]:
        start, length = m.end(), int(m.group(2))
        try:
            raw = zlib.decompress(data[start: start + length])
        except zlib.error:
            continue
        numbers = list(_NUMBER.finditer(raw))
        if not numbers or b"Tj" not in raw and b"TJ" not in raw:
            continue
        out = bytearray(raw)
        for n in sorted(rng.sample(numbers, min(len(numbers), rng.randint(1, 12))), key=lambda x: -x.start()):
            new = rng.choice([b"0", b"9", b"99999999", b"-1", b"1e308", str(rng.randrange(10 ** 6)).encode()])
            out[n.start(): n.end()] = new
        packed = zlib.compress(bytes(out))
        head = data[m.start(): m.start(2)] + str(len(packed)).encode() + data[m.end(2): start]
        return data[: m.start()] + head + packed + data[start + length:]
    return damage_stream(rng, data)


MUTATIONS = {"flip": flip, "truncate": truncate, "delete": delete_chunk, "duplicate": duplicate_chunk,
             "xref": damage_xref, "stream": damage_stream, "numbers": alter_numbers}


def mutants(n: int, seed: int, folder: Path) -> list[tuple[Path, str]]:
    """Write `n` mutated samples into `folder`: [(path, "sample:mutation+mutation")]."""
    rng = random.Random(seed)
    base = [(p, p.read_bytes()) for p in seeds()]
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    names = list(MUTATIONS)
    for i in range(n):
        src, data = base[rng.randrange(len(base))]
        chosen = [rng.choice(names) for _ in range(rng.choice((1, 1, 2)))]
        for name in chosen:
            if len(data) > 1:
                data = MUTATIONS[name](rng, data)
        path = folder / f"{i:05d}-{src.stem}{src.suffix}"
        path.write_bytes(data)
        out.append((path, f"{src.name}:{'+'.join(chosen)}"))
    return out


# ------------------------------------------------------------------ running
def run(paths: list[str], workers: int = 0, timeout: float = 60.0, max_memory: int = 2048) -> dict:
    """Audit `paths` in the worker pool; the figures the harness prints."""
    from extractor.audit import batch

    memory: dict[str, int] = {}
    t0 = time.monotonic()
    results = batch.run(paths, workers=workers, timeout=timeout, max_memory=max_memory, memory=memory)
    seconds = time.monotonic() - t0
    statuses = collections.Counter(r.status for r in results)
    tracebacks = [r for r in results if "Traceback" in (r.detail or "")]
    deaths = [r for r in results if r.status == "crashed" and not r.detail]
    slowest = max(results, key=lambda r: r.seconds) if results else None
    peak_path = max(memory, key=memory.get) if memory else None
    return {"files": len(results), "seconds": seconds, "statuses": dict(statuses), "tracebacks": tracebacks,
            "deaths": deaths, "slowest": slowest, "peak_memory": memory.get(peak_path, 0), "peak_path": peak_path,
            "results": results}


def report(stats: dict, origin: dict[str, str]) -> str:
    lines = [f"files       {stats['files']}  in {stats['seconds']:.0f} s "
             f"({stats['files'] / max(stats['seconds'], 1e-9):.1f} files/s)"]
    lines.append("statuses    " + ", ".join(f"{k} {v}" for k, v in sorted(stats["statuses"].items())))
    lines.append(f"tracebacks  {len(stats['tracebacks'])}")
    for r in stats["tracebacks"][:10]:
        lines.append(f"  {r.path} ({origin.get(r.path, '')}): {r.reason}")
        lines.append("    " + r.detail.strip().splitlines()[-1][:200])
    lines.append(f"deaths      {len(stats['deaths'])}")
    for r in stats["deaths"][:10]:
        lines.append(f"  {r.path} ({origin.get(r.path, '')}): {r.reason}")
    s = stats["slowest"]
    if s is not None:
        lines.append(f"slowest     {s.seconds:.1f} s  {s.path} ({origin.get(s.path, '')}) → {s.status}")
    lines.append(f"peak memory {stats['peak_memory'] / (1 << 20):,.0f} MB resident "
                 f"({stats['peak_path']}, {origin.get(stats['peak_path'], '')})")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--max-memory", type=int, default=2048)
    parser.add_argument("--keep", help="write the mutants into this folder and keep them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="nianbao-fuzz-") as tmp:
        folder = Path(args.keep) if args.keep else Path(tmp)
        made = mutants(args.n, args.seed, folder)
        origin = {str(p): how for p, how in made}
        stats = run([str(p) for p, _ in made], workers=args.workers, timeout=args.timeout,
                    max_memory=args.max_memory)
        print(f"seed {args.seed}, {len(seeds())} samples mutated")
        print(report(stats, origin))
    return 1 if stats["tracebacks"] else 0


if __name__ == "__main__":
    sys.exit(main())
