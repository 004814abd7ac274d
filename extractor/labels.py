"""Label normalisation and fuzzy matching: printed label text → canonical key.

Real labels carry Kangxi-radical code points, full-width forms, line breaks inside words,
typos and dropped words. Everything is compared after `fold`, and scored with difflib.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from schemas.fold import RADICAL_SUPPLEMENT as _RADICAL_SUPPLEMENT  # noqa: F401  (re-exported)
from schemas.fold import fold, nfkc  # noqa: F401  (the pure fold lives in schemas/, shared with its text rules)


def similarity(text: str, label: str) -> float:
    """How well printed text matches a template label, in [0, 1], tolerant of typos and truncation."""
    return _folded_similarity(fold(text), fold(label))


@lru_cache(maxsize=65536)  # pure; the same printed labels recur in report after report of a template
def _folded_similarity(a: str, b: str) -> float:
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
