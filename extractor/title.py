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


_BODY_SUFFIX = re.compile(r"(人民政府|政府|委员会|管委会|办事处|街道|乡|镇|局|厅|委|办公室|办|中心|院|署|部|所|队|站|会|处|社)$")


def _candidates(first_page: str, max_lines: int = 80):
    """(issuer, year, title) for each title-like run that starts a line (the title may wrap once)."""
    lines = [_clean(line) for line in first_page.splitlines()[:max_lines]]
    lines = [line for line in lines if line]
    for i, line in enumerate(lines):
        joined = line + (lines[i + 1] if i + 1 < len(lines) else "")
        for pattern in (_TITLE, _YEAR_FIRST):
            match = pattern.match(joined)
            if match and match.start("year") <= len(line) + 4:
                yield match.group("issuer").strip("()（）"), int(match.group("year")), match.group(0)


def parse_title(first_page: str, head_chars: int = 400) -> tuple[str | None, int | None, str]:
    """(issuer, year, title line) from the first page's text; None where the title does not say.

    A title starts a line and names a body (…人民政府, …局, …乡 and the like): navigation links to
    other years' reports printed above it on a web page are passed over.
    """
    found = list(_candidates(first_page))
    named = [c for c in found if _BODY_SUFFIX.search(c[0]) and c[0] != "政府"]
    if named or found:
        issuer, year, title = (named or found)[0]
        return full_issuer(issuer, _clean(first_page)), year, title
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
