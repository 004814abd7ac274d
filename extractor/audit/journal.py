"""The audit's journal: what a run killed midway (kill -9, power cut) had already done.

After each file the parent writes that file's result to `--out/.nianbao-journal/<sha256>.pickle`
(temporary file, fsync, rename: a file there is whole or absent). Started again with the same
command and --out, the audit takes the journalled results of files whose content hash and options
match and audits only the rest, so no file is redone, no row doubled and none lost. The journal
is removed once a run has written all its outputs.

The journal is read back with an unpickler that only builds nianbao's own classes and plain
containers: a file planted in --out cannot make it call anything else.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import shutil
from typing import Optional

from extractor.audit import fsio
from extractor.audit.model import FileResult

FOLDER = ".nianbao-journal"
FORMAT = 1
_SAFE_BUILTINS = {"set", "frozenset", "list", "dict", "tuple", "bytes", "bytearray", "complex", "range", "slice",
                  "int", "float", "str", "bool"}
_SAFE_MODULES = ("extractor.", "schemas.")


class _Unpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if module == "builtins" and name in _SAFE_BUILTINS:
            return super().find_class(module, name)
        if module in ("datetime", "decimal", "collections") or module.startswith(_SAFE_MODULES):
            if not name.startswith("_"):
                return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in an audit journal")


def options_key(version: str, password: Optional[str], extra: str = "") -> str:
    """What must match for a journalled result to stand for a new one: tool version, password, limits."""
    return hashlib.sha256(f"{FORMAT}\0{version}\0{password or ''}\0{extra}".encode("utf-8", "surrogateescape")
                          ).hexdigest()[:16]


class Journal:
    def __init__(self, out_dir: str, key: str):
        self.dir = os.path.join(out_dir, FOLDER)
        self.key = key

    def _name(self, sha256: str) -> str:
        return f"{sha256}.{self.key}.pickle"

    def load(self, sha256: Optional[str]) -> Optional[FileResult]:
        """The journalled result for a content hash, or None (absent, other options, unreadable)."""
        if not sha256 or len(sha256) != 64 or not all(c in "0123456789abcdef" for c in sha256):
            return None
        try:
            with open(os.path.join(self.dir, self._name(sha256)), "rb") as fh:
                result = _Unpickler(io.BytesIO(fh.read())).load()
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError,
                IndexError, KeyError):
            return None
        if not isinstance(result, FileResult) or result.sha256 != sha256:
            return None
        return result

    def record(self, result: FileResult) -> None:
        """Write one finished file's result (whole or not at all)."""
        if not result.sha256 or result.status == "interrupted":
            return
        os.makedirs(self.dir, exist_ok=True)
        fsio.write_bytes(self.dir, self._name(result.sha256), pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))

    def count(self) -> int:
        try:
            return sum(1 for n in os.listdir(self.dir) if n.endswith(f".{self.key}.pickle"))
        except OSError:
            return 0

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)
