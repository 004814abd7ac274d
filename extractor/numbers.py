"""The number reader: a cell's printed text → a value and what kind of text it was.

A printed 0 is a number; blank, '—', '-', '/', '无' are markers kept apart from 0 so that the
validator can report them. Nothing is ever turned into 0 here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from extractor.labels import nfkc

_SPACES = re.compile(r"[\s\u00a0\u3000]+")
_DASHES = set("-—–―‐‑‒−一ー－─━")
_NUMBER = re.compile(r"^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?$")
_SIGN_WORDS = {"增": "+", "减": "-", "+": "+", "-": "-"}


@lru_cache(maxsize=65536)  # pure; the mapping asks about the same cell texts many times
def read_number(raw: str | None, signed: bool = False) -> tuple[float | None, str]:
    """Read a cell: (value, kind) with kind one of number, blank, dash, slash, none, unreadable."""
    text = _SPACES.sub("", nfkc(raw or ""))
    text = text.replace("，", ",").replace("。", ".")
    if not text:
        return None, "blank"
    if all(ch in _DASHES for ch in text):
        return None, "dash"
    if text in {"/", "\\", "//"}:
        return None, "slash"
    if text in {"无", "没有", "暂无"}:
        return None, "none"
    if text.endswith("件") or text.endswith("个") or text.endswith("项"):
        text = text[:-1]
    sign = ""
    if signed and text[:1] in _SIGN_WORDS:
        sign, text = _SIGN_WORDS[text[0]], text[1:]
    match = _NUMBER.match(text)
    if not match:
        return None, "unreadable"
    mark, whole, frac = match.groups()
    sign = sign or mark
    value = float(whole.replace(",", "") + (f".{frac}" if frac else ""))
    return (-value if sign == "-" else value), "number"


def looks_like_value(raw: str | None) -> bool:
    """Whether a cell's text reads as a number or a marker (not as a label)."""
    _, kind = read_number(raw, signed=True)
    return kind != "unreadable"
