"""The issuing body and the year, from the report's title (first lines of its text)."""

from __future__ import annotations

import re

from extractor.labels import nfkc

_TITLE = re.compile(
    r"(?P<issuer>[\u4e00-\u9fff（）()·]{2,40}?)\s*(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*"
    r"(?:政府)?(?:信息公开|政务公开)(?:工作)?\s*(?:年度)?\s*报告"
)
_YEAR_FIRST = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年\s*度?\s*(?P<issuer>[\u4e00-\u9fff（）()·]{2,40}?)\s*"
                         r"(?:政府)?(?:信息公开|政务公开)(?:工作)?\s*(?:年度)?\s*报告")
_ADMIN_PREFIX = re.compile(r"((?:[\u4e00-\u9fff]{2}(?:省|自治区|市|自治州|州|盟|地区))+)$")


def _clean(text: str) -> str:
    """Title text in plain forms, with line breaks joined and spaces dropped."""
    return re.sub(r"[\s\u00a0\u3000]+", "", nfkc(text))


def parse_title(first_page: str, head_chars: int = 400) -> tuple[str | None, int | None, str]:
    """(issuer, year, title line) from the first page's text; None where the title does not say."""
    head = _clean(first_page[:head_chars])
    for pattern in (_TITLE, _YEAR_FIRST):
        match = pattern.search(head)
        if match:
            issuer = match.group("issuer").strip("()（）")
            return full_issuer(issuer, _clean(first_page)), int(match.group("year")), match.group(0)
    return None, None, ""


def full_issuer(issuer: str, text: str) -> str:
    """The issuer with the higher administrative units the text prints before it (洪泽区… → 淮安市洪泽区…)."""
    best = issuer
    for match in re.finditer(re.escape(issuer), text):
        before = _ADMIN_PREFIX.search(text[max(0, match.start() - 12):match.start()])
        if before and not issuer.startswith(before.group(1)):
            candidate = before.group(1) + issuer
            if len(candidate) > len(best) and len(candidate) - len(issuer) <= 8:
                best = candidate
    return best
