"""Text folding shared by the extractor's label matching and the schemas' text rules.

Pure string functions, no imports from the extractor: `extractor.labels` re-exports `nfkc` and
`fold` from here, so headings in `schemas.supervision` are matched exactly as tolerantly as the
table labels (Kangxi radicals, full-width forms, whitespace and punctuation folded).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# CJK Radicals Supplement forms that NFKC leaves alone but PDFs use for ordinary characters.
RADICAL_SUPPLEMENT = str.maketrans({
    "\u2e8e": "兀", "\u2ea0": "民", "\u2ec5": "见", "\u2ed8": "青", "\u2ee2": "页",
    "\u2ecb": "车", "\u2ec4": "西", "\u2ea7": "牛", "\u2eb3": "网", "\u2ebc": "肉",
})
_DROP = re.compile(r"[\s\u00a0\u3000\W_]+", re.UNICODE)
_SIMILAR = str.maketrans({"〇": "0"})


def nfkc(text: str) -> str:
    """NFKC with the radical supplement mapped: Kangxi radicals and full-width forms become plain."""
    return unicodedata.normalize("NFKC", (text or "").translate(RADICAL_SUPPLEMENT))


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """The comparable core of a label: NFKC, no whitespace, no punctuation, no quotes."""
    return _DROP.sub("", nfkc(text)).translate(_SIMILAR)
