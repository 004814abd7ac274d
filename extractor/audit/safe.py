"""Untrusted text made inert for the outputs: spreadsheet formulas, control characters, sheet names.

Every string that comes from a report (issuer, title, labels, raw cell text, messages quoting
them) passes through here before it reaches a CSV, a workbook or the terminal. HTML escaping is
done by the HTML writer with html.escape.
"""

from __future__ import annotations

import re
import unicodedata

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")  # OWASP CSV injection, plus full-width forms below
_FULLWIDTH_START = ("＝", "＋", "－", "＠")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def printable(text: str) -> str:
    """Undecodable bytes of a file name (surrogate escapes) shown as U+FFFD, so every output can encode them."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def clean(text) -> str:
    """A string without control characters or bidi overrides (newlines and tabs become spaces)."""
    if text is None:
        return ""
    text = printable(str(text)).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", text)


def cell_text(value):
    """A value for a CSV or xlsx cell: numbers stay numbers; text that could start a formula gets a leading '."""
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = printable(str(value))
    if text.startswith(FORMULA_START) or text.startswith(_FULLWIDTH_START):
        text = "'" + text
    return _CONTROL.sub("", text)


def terminal_text(text) -> str:
    """One line for the terminal: no escape sequences, no newlines."""
    return clean(text).replace("\n", " ")


def sheet_name(wanted: str, taken: set[str], fallback: str = "report") -> str:
    """A legal, unique worksheet name (≤ 31 characters, none of []:*?/\\, not starting or ending with ')."""
    name = SHEET_FORBIDDEN.sub("_", clean(wanted)).strip().strip("'").strip() or fallback
    name = unicodedata.normalize("NFC", name)[:31]
    if name.lower() == "history":  # reserved by Excel
        name = "history_"
    candidate, n = name, 2
    while candidate.lower() in {t.lower() for t in taken}:
        suffix = f"~{n}"
        candidate = name[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(candidate)
    return candidate
