"""Writes that land atomically and only inside the output folder."""

from __future__ import annotations

import os
import tempfile


OUTPUTS = ("findings.csv", "findings.json", "audit.xlsx", "report.html", "manifest.json")


class OutsideOutput(ValueError):
    pass


def output_dir(path: str) -> str:
    """Create the output folder if needed; refuse a path that exists as something else."""
    if os.path.lexists(path) and not os.path.isdir(path):
        raise NotADirectoryError(f"{path} exists and is not a folder")
    os.makedirs(path, exist_ok=True)
    for name in os.listdir(path):  # temporary files of a run that was killed mid-write
        if name.startswith(".") and name.endswith(".tmp") and name[1:].split(".tmp")[0].rsplit(".", 1)[0] in OUTPUTS:
            try:
                os.unlink(os.path.join(path, name))
            except OSError:
                pass
    return path


def target(out_dir: str, name: str) -> str:
    """out_dir/name, refusing names with separators or that would resolve outside out_dir."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\x00" in name:
        raise OutsideOutput(f"unsafe output name {name!r}")
    path = os.path.join(out_dir, name)
    # os.replace swaps a symlink planted at `path` for our file; it never writes through it
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(out_dir: str, name: str, data: bytes) -> str:
    """Write to a temporary file in out_dir, fsync, then rename over out_dir/name."""
    path = target(out_dir, name)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; outputs are meant to be shared
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def write_text(out_dir: str, name: str, text: str, encoding: str = "utf-8") -> str:
    return write_bytes(out_dir, name, text.encode(encoding))
