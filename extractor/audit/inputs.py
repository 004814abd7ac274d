"""Command-line paths → the input files: folders walked recursively, globs expanded, content hashed.

Every path the user named is accounted for: a file is an input; a folder contributes the report
files below it (hidden entries, symlinked folders and the output folder are skipped); a glob
contributes its matches; a path that names nothing becomes an input with a reason, so it shows
up in the outputs as unreadable instead of vanishing.
"""

from __future__ import annotations

import errno
import glob
import os
from dataclasses import dataclass
from typing import Optional

from extractor import file_sha256

REPORT_SUFFIXES = (".pdf", ".html", ".htm", ".shtml", ".docx", ".doc", ".wps")
GLOB_CHARS = set("*?[")


@dataclass
class InputFile:
    path: str
    size: Optional[int] = None
    sha256: Optional[str] = None
    error: str = ""  # why it cannot be read at all (not found, permission…)
    duplicate_of: Optional[str] = None


def display_path(path: str) -> str:
    """A path as the outputs show it: normalised, as given (relative stays relative)."""
    return os.path.normpath(path)


def link_error(path: str) -> str:
    """Why a symbolic link names no file: a loop, or a target that is not there."""
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        return "dangling symbolic link"
    return ""


def _walk(folder: str, skip: set[str]) -> list[tuple[str, str]]:
    """(path, error) of the report files below a folder; links that lead nowhere come with their reason."""
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False, onerror=None):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".")
                         and os.path.realpath(os.path.join(root, d)) not in skip)
        for name in sorted(files):
            if name.startswith(".") or not name.lower().endswith(REPORT_SUFFIXES):
                continue
            full = os.path.join(root, name)
            if os.path.isfile(full):
                found.append((full, ""))
            elif os.path.islink(full) and not os.path.isdir(full):  # a loop or a dangling link: say so
                found.append((full, link_error(full)))
            elif not os.path.isdir(full):  # a FIFO, socket or device named like a report
                found.append((full, "not a regular file"))
    return found


def expand(paths: list[str], skip_dirs: tuple[str, ...] = ()) -> list[InputFile]:
    """The input files named by `paths`, in a stable order, each once (by path)."""
    skip = {os.path.realpath(d) for d in skip_dirs}
    out: list[InputFile] = []
    seen: set[str] = set()

    def add(path: str, error: str = "") -> None:
        shown = display_path(path)
        key = shown if error else os.path.abspath(path)  # a symlink stays an input: the hash names it a duplicate
        if key in seen:
            return
        seen.add(key)
        out.append(InputFile(path=shown, error=error))

    for arg in paths:
        if os.path.isdir(arg):
            for f, error in _walk(arg, skip):
                add(f, error)
        elif os.path.lexists(arg):
            add(arg, "" if os.path.exists(arg) else link_error(arg))
        elif GLOB_CHARS & set(arg):
            matches = sorted(glob.glob(arg, recursive=True))
            if not matches:
                add(arg, "no file matches this pattern")
            for m in matches:
                if os.path.isdir(m):
                    for f, error in _walk(m, skip):
                        add(f, error)
                elif os.path.realpath(os.path.dirname(m) or ".") not in skip:
                    add(m)
        else:
            add(arg, "file not found")
    return out


def hash_and_dedupe(files: list[InputFile]) -> list[InputFile]:
    """Fill size and sha256; mark later files with the same content as duplicates of the first."""
    first: dict[str, str] = {}
    for f in files:
        if f.error:
            continue
        try:
            if not os.path.isfile(f.path):  # a FIFO or device would block the hash forever
                f.error = "not a regular file"
                continue
            f.size = os.path.getsize(f.path)
            f.sha256 = file_sha256(f.path)
        except OSError as exc:
            f.error = f"cannot be read: {exc.strerror or exc}"
            continue
        if f.sha256 in first:
            f.duplicate_of = first[f.sha256]
        else:
            first[f.sha256] = f.path
    return files


def collect(paths: list[str], skip_dirs: tuple[str, ...] = ()) -> list[InputFile]:
    """expand + hash_and_dedupe."""
    return hash_and_dedupe(expand(paths, skip_dirs))
