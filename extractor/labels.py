"""Label normalisation and fuzzy matching: printed label text → canonical key.

Real labels carry Kangxi-radical code points, full-width forms, line breaks inside words,
typos and dropped words. Everything is compared after `fold`, and scored with difflib.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

# CJK Radicals Supplement forms that NFKC leaves alone but PDFs use for ordinary characters.
_RADICAL_SUPPLEMENT = str.maketrans({
    "\u2e8e": "兀", "\u2ea0": "民", "\u2ec5": "见", "\u2ed8": "青", "\u2ee2": "页",
    "\u2ecb": "车", "\u2ec4": "西", "\u2ea7": "牛", "\u2eb3": "网", "\u2ebc": "肉",
})
_DROP = re.compile(r"[\s\u00a0\u3000\W_]+", re.UNICODE)
_SIMILAR = str.maketrans({"〇": "0"})


def nfkc(text: str) -> str:
    """NFKC with the radical supplement mapped: Kangxi radicals and full-width forms become plain."""
    return unicodedata.normalize("NFKC", (text or "").translate(_RADICAL_SUPPLEMENT))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The comparable core of a label: NFKC, no whitespace, no punctuation, no quotes."""
    return _DROP.sub("", nfkc(text)).translate(_SIMILAR)


def similarity(text: str, label: str) -> float:
    """How well printed text matches a template label, in [0, 1], tolerant of typos and truncation."""
    a, b = fold(text), fold(label)
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    ratio = matcher.ratio()
    matched = sum(block.size for block in matcher.get_matching_blocks())
    # A label cut short or with words dropped: most of the printed text is in the label, in order,
    # and it covers a good share of the label.
    covered = matched / len(a)
    share = matched / len(b)
    if len(a) >= 4 and covered >= 0.85 and share >= 0.5:
        ratio = max(ratio, 0.6 + 0.35 * share)
    return ratio


def best_match(text: str, labels: dict[str, str], threshold: float = 0.6) -> tuple[str | None, float]:
    """The key whose label best matches text, and its score; (None, score) below the threshold."""
    best_key, best_score = None, 0.0
    for key, label in labels.items():
        score = similarity(text, label)
        if score > best_score:
            best_key, best_score = key, score
    return (best_key, best_score) if best_score >= threshold else (None, best_score)


def contains(text: str, word: str) -> bool:
    """Whether the folded text contains the folded word."""
    return fold(word) in fold(text)
