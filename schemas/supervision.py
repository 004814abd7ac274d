"""What supervisors and evaluators check beyond arithmetic: completeness, timeliness, copied and changed reports.

Pure: Reports in, Findings out; no file or database I/O (the store and the audit hand in the
reports of other years and other files). Rule ids (all warnings; messages in schemas.messages):

  completeness.section_missing         one of the six parts 一、总体情况 … 六、其他需要报告的事项 is absent
  completeness.fee_statement_missing   section 六 does not say whether 信息处理费 was collected
  timeliness.late                      published after the deadline of 条例 第四十九条
  history.copied_text                  sections 一, 五, 六 ≥ 50% the same text as last year's report
  history.repeated_tables              every number of the tables equal to last year's, at least one non-zero
  history.changed_after_publication    two different files (sha256) for one body and year whose numbers or
                                       sections differ

Sections. The narrative (Report.pages: PDF text by page, the HTML page's or DOCX's paragraphs as one
page) is split into lines; a line is the heading of part N when it begins with the numeral N
(一 … 六, after `schemas.fold.nfkc`, so Kangxi-radical and full-width forms count) and a separator
(、 . ． , or a space), and its folded rest (schemas.fold.fold: no whitespace or punctuation) carries
the words of part N: 总体情况 (1); 主动公开 (2); 收到/处理…申请, 依申请 (3); 复议 or 诉讼 (4); 问题, 改进 or
不足 (5); 其他…事项, 需要报告 (6) — so 四、因政府信息公开工作被申请行政复议、提起行政诉讼情况 and
五、政府信息公开工作存在的主要问题及改进情况 are found, and the table rows 一、本年新收… 四、结转下年度…
are not. A heading cut over two PDF lines is read with the next line. The 2019 format's parts
have the same six titles.

Publication date (timeliness). HTML: the page's 发布时间 / 发布日期 / 生成日期 / 公开日期 line (kept
by extractor.html_source), else the date under the signature. PDF and DOCX: the date under the
signature, the last line of the last page(s) that is only a date (2024年1月15日, 2024 年 1 月 15 日,
二〇二四年一月十五日, 2024-01-15). The deadline (条例 第四十九条) for a report on year Y: a department
(…局/委/办/中心, schemas.history.level_of → 部门) 1月31日 of Y+1; a 省/市/县/区 government's own
report 3月31日 of Y+1. A 乡/镇/街道 report or a name whose level is unclear gets no finding: the
article sets no date for them. No date, no finding.

Copied text: the similarity method. Sections 一, 五 and 六 of both years are split into sentences
(at 。！？；!?; and line ends of paragraphs), each sentence normalised (NFKC, whitespace and
punctuation removed, every year 20xx/19xx → Y, every other run of digits → 0; sentences under 6
characters dropped), and the two sentence sequences compared with difflib.SequenceMatcher
(autojunk off): the share is the characters of this year's sentences inside its matching blocks
over all of this year's characters; the longest copied passage is the longest matching block,
quoted as printed this year. Sentence-level matching blocks tolerate changed figures and years but
not rewritten sentences, and count text in the same order only (a reordered copy counts less).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Iterable, Optional

from schemas import messages as M
from schemas.fold import fold, nfkc
from schemas.history import comparable, level_of, normalise_issuer, reports_by_body
from schemas.report import Finding, Report, json_number

SEVERITY = "warning"
SECTION_MISSING = "completeness.section_missing"
FEE_MISSING = "completeness.fee_statement_missing"
LATE = "timeliness.late"
COPIED = "history.copied_text"
REPEATED = "history.repeated_tables"
CHANGED = "history.changed_after_publication"
RULES = (SECTION_MISSING, FEE_MISSING, LATE, COPIED, REPEATED, CHANGED)
HISTORY_RULES = (COPIED, REPEATED, CHANGED)
COPIED_SHARE = 0.5  # 与上年度重复率大于 50%
MIN_COPY_CHARS = 80  # too little narrative to judge

NUMERALS = "一二三四五六"
TITLES = {1: "一、总体情况", 2: "二、主动公开政府信息情况", 3: "三、收到和处理政府信息公开申请情况",
          4: "四、政府信息公开行政复议、行政诉讼情况", 5: "五、存在的主要问题及改进情况", 6: "六、其他需要报告的事项"}
TITLES_EN = {1: "I general situation", 2: "II proactive disclosure", 3: "III requests received and handled",
             4: "IV administrative reviews and lawsuits", 5: "V main problems and improvements",
             6: "VI other matters to report"}
_WORDS = {
    1: re.compile(r"总体情况|总体概况|概述"),
    2: re.compile(r"主动公开"),
    3: re.compile(r"(?:收到|处理|办理).{0,12}申请|依申请"),
    4: re.compile(r"复议|诉讼"),
    5: re.compile(r"问题|改进|不足"),
    6: re.compile(r"其他.{0,8}事项|需要报告"),
}
_HEAD = re.compile(r"^\s*([一二三四五六])\s*[、.．,，:：\s]")
NARRATIVE_SECTIONS = (1, 5, 6)


# ------------------------------------------------------------------ family of a rule (summary columns)
FAMILIES = ("arithmetic", "completeness", "timeliness", "history")
FAMILY_ZH = {"arithmetic": "勾稽", "completeness": "完整性", "timeliness": "及时性", "history": "跨年"}


def family(rule: str) -> Optional[str]:
    """arithmetic (requests.*, reviews.*, relations.*), completeness, timeliness, history, or None (values, template, narrative)."""
    head = (rule or "").split(".", 1)[0]
    if head in ("requests", "reviews", "relations"):
        return "arithmetic"
    return head if head in ("completeness", "timeliness", "history") else None


# ------------------------------------------------------------------ sections
@dataclass
class Line:
    text: str
    page: int


def _lines(report: Report) -> list[Line]:
    out = []
    for i, text in enumerate(report.pages or [], start=1):
        out += [Line(t.strip(), i) for t in (text or "").split("\n") if t.strip()]
    return out


def heading_number(text: str, following: str = "") -> Optional[int]:
    """The part number (1–6) a line is the heading of, or None. `following`: the next line, for cut headings."""
    s = nfkc(text).strip()
    m = _HEAD.match(s)
    if not m:
        return None
    n = NUMERALS.index(m.group(1)) + 1
    rest = fold(s[m.end():])
    if len(rest) > 40:  # a heading is short; a body line starting 一、 with a long sentence is not one
        rest = rest[:40]
    if _WORDS[n].search(rest):
        return n
    if len(rest) < 14 and following and _WORDS[n].search(rest + fold(following)[:20]):
        return n
    return None


def sections(report: Report) -> list[dict]:
    """The parts found: [{number, heading, page, text}] in order of appearance, one per number.

    Uses Report.sections when the pages were dropped (the audit keeps the parts, not the pages). A
    number printed twice (a repeated heading) keeps the first heading and all the text.
    """
    if not report.pages and report.sections:
        return report.sections
    lines = _lines(report)
    found: dict[int, dict] = {}
    current: Optional[dict] = None
    for i, line in enumerate(lines):
        n = heading_number(line.text, lines[i + 1].text if i + 1 < len(lines) else "")
        if n is not None:
            if n in found:
                current = found[n]
            else:
                current = found[n] = {"number": n, "heading": line.text, "page": line.page, "text": "", "pages": [],
                                      "lines": []}
            continue
        if current is not None:
            current["lines"].append((line.text, line.page))
    if found:  # the signature (issuer, date) and page numbers after the last part are not its text
        last = list(found.values())[-1]["lines"]
        issuer = fold(report.issuer or "")
        while last and (_DATE_ONLY.match(nfkc(last[-1][0])) or _PAGE_MARK.match(nfkc(last[-1][0]))
                        or (issuer and fold(last[-1][0]) in (issuer, fold(report.issuer or "").replace("人民政府", "政府")))
                        or (len(fold(last[-1][0])) <= 30 and issuer and fold(last[-1][0]) in issuer)):
            last.pop()
    out = []
    for n, sec in found.items():
        text = "\n".join(t for t, _ in sec["lines"])
        out.append({"number": n, "heading": sec["heading"], "page": sec["page"], "text": text,
                    "line_pages": [p for _, p in sec["lines"]]})
    return out


# ------------------------------------------------------------------ completeness
_SENTENCES = re.compile(r"[^。;!?\n]+")
FEE_WORD = re.compile(r"处理费")  # 信息处理费, 信息公开处理费, 政府信息公开信息处理费
FEE_SAID = re.compile(r"收取|收费|征收|计收|收到|免收|未收|不收|产生|[0-9零]|元|无|没有|未|不存在|不涉及")
CHARGE = re.compile(r"(?:未|没有|无|不|免)(?:发生|产生|存在)?(?:任何)?(?:收费|收取(?:任何)?(?:费用|费))|收费(?:情况)?(?:为|是)?(?:0|零|无)")
ABOUT_DISCLOSURE = re.compile(r"信息公开|依申请|公开申请")


def fee_statement(text: str) -> Optional[str]:
    """The sentence saying whether 信息处理费 was collected, or None.

    A sentence naming the fee (…处理费) with a verb or figure (收取/未收取/无/产生/0 元 …), or one saying
    that no fee was charged for disclosure (政府信息公开未发生收费情况, 依申请公开未收取任何费用).
    """
    flat = re.sub(r"\s+", "", nfkc(text))
    for m in _SENTENCES.finditer(flat):
        sent = m.group(0)
        if FEE_WORD.search(sent) and FEE_SAID.search(sent):
            return sent
        if CHARGE.search(sent) and ABOUT_DISCLOSURE.search(sent):
            return sent
    return None


def _finding(rule: str, report: Report, page=None, quote="", cells=None, expected=None, found=None, **fields) -> Finding:
    zh, en = M.render(rule, quote=quote, page=page, **fields)
    return Finding(rule=rule, severity=SEVERITY, table=None, row=None, column=None, expected=expected, found=found,
                   message=zh, message_en=en, cells=cells or [], file=report.file, quote=quote, page=page)


def completeness_findings(report: Report) -> list[Finding]:
    """`completeness.section_missing` per absent part, `completeness.fee_statement_missing` for section 六.

    Nothing for a report without narrative text (built from tables only).
    """
    if not report.pages and not report.sections:
        return []
    secs = {s["number"]: s for s in sections(report)}
    out = []
    for n in range(1, 7):
        if n not in secs:
            out.append(_finding(SECTION_MISSING, report, title=TITLES[n], title_en=TITLES_EN[n], n=n))
    six = secs.get(6)
    if six is not None and fee_statement(six["text"]) is None:
        out.append(_finding(FEE_MISSING, report, page=six["page"], quote=six["heading"],
                            heading=nfkc(six["heading"]).strip()))
    return out


# ------------------------------------------------------------------ timeliness
DATE_WORDS = ("发布时间", "发布日期", "生成日期", "公开日期")
_CN_DIGITS = {"〇": 0, "○": 0, "零": 0, "O": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
              "九": 9, "十": 10}
_DATE = re.compile(r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2}))")
_CN_DATE = re.compile(r"([〇○零O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日")
_DATE_ONLY = re.compile(r"^\s*(?:(?:19|20)\d{2}\s*(?:年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|[-/.]\d{1,2}[-/.]\d{1,2})"
                        r"|[〇○零O一二三四五六七八九]{4}\s*年\s*[一二三四五六七八九十]{1,3}\s*月\s*[一二三四五六七八九十]{1,3}\s*日)\s*$")
_PAGE_MARK = re.compile(r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)\s*$")


def _cn_number(s: str) -> int:
    if "十" in s:
        a, _, b = s.partition("十")
        return (_CN_DIGITS[a] if a else 1) * 10 + (_CN_DIGITS[b] if b else 0)
    return int("".join(str(_CN_DIGITS[c]) for c in s))


def parse_date(text: str) -> Optional[dt.date]:
    """The first date in a text: 2024年1月15日, 2024-01-15, 2024/1/15, 2024.01.15, 二〇二四年一月十五日."""
    s = nfkc(text)
    m = _DATE.search(s)
    c = _CN_DATE.search(s)
    try:
        if m and (not c or m.start() <= c.start()):
            y = int(m.group(1))
            mo, d = (m.group(2), m.group(3)) if m.group(2) else (m.group(4), m.group(5))
            return dt.date(y, int(mo), int(d))
        if c:
            return dt.date(_cn_number(c.group(1)), _cn_number(c.group(2)), _cn_number(c.group(3)))
    except (ValueError, KeyError):
        return None
    return None


@dataclass
class Published:
    date: dt.date
    source: str  # page | signature
    label: str  # 发布时间 …, or 落款日期
    line: str  # the line as printed
    page: Optional[int]


def publication_date(report: Report) -> Optional[Published]:
    """Where the file says it was published: an HTML page's 发布时间 line, else the date under the signature."""
    lines = _lines(report)
    if report.source == "html":
        for line in lines[:40]:
            s = nfkc(line.text)
            for w in DATE_WORDS:
                at = s.find(w)
                if at >= 0:
                    d = parse_date(s[at:at + 40])
                    if d:
                        return Published(d, "page", w, line.text, None)
    tail = [ln for ln in lines[-12:] if not _PAGE_MARK.match(nfkc(ln.text))]
    for line in reversed(tail[-6:]):
        if _DATE_ONLY.match(nfkc(line.text)):
            d = parse_date(line.text)
            if d:
                return Published(d, "signature", "落款日期", line.text,
                                 line.page if report.source == "pdf" else None)
    return None


def deadline(report: Report) -> Optional[tuple[dt.date, str, str]]:
    """(deadline, who in Chinese, who in English) for the report's body, or None when 第四十九条 sets none."""
    if report.year is None:
        return None
    level = level_of(report.issuer)
    if level == "部门":
        return dt.date(report.year + 1, 1, 31), "政府部门", "a government department"
    if level in ("省", "市", "县", "区"):
        return dt.date(report.year + 1, 3, 31), "县级以上人民政府", "a county-level or higher government"
    return None


def timeliness_findings(report: Report) -> list[Finding]:
    """`timeliness.late` when the file's date is after the deadline of 条例 第四十九条."""
    due = deadline(report)
    if due is None:
        return []
    pub = publication_date(report)
    if pub is None or pub.date <= due[0]:
        return []
    days = (pub.date - due[0]).days
    where = ("网页" + pub.label) if pub.source == "page" else (
        f"第 {pub.page} 页落款日期" if pub.page else "文末落款日期")
    where_en = (f"the page's {pub.label} line" if pub.source == "page" else
                (f"the date under the signature, page {pub.page}" if pub.page else "the date under the signature"))
    return [_finding(LATE, report, page=pub.page, quote=pub.line, expected=None, found=float(days),
                     date=pub.date.isoformat(), where=where, where_en=where_en, deadline=due[0].isoformat(),
                     who=due[1], who_en=due[2], days=days, year=report.year,
                     date_zh=f"{pub.date.year}年{pub.date.month}月{pub.date.day}日",
                     deadline_zh=f"{due[0].year}年{due[0].month}月{due[0].day}日")]


def report_findings(report: Report) -> list[Finding]:
    """The single-report rules: completeness and timeliness (called by schemas.validate.validate)."""
    return completeness_findings(report) + timeliness_findings(report)


# ------------------------------------------------------------------ copied text
_SENT_END = re.compile(r"[。！？；!?;\n]")
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
_YEAR = re.compile(r"(?:19|20)\d{2}(?=\s*年)|(?:19|20)\d{2}")
_DIGITS = re.compile(r"\d+(?:\.\d+)?")
MIN_SENTENCE = 6


def normalise_sentence(text: str) -> str:
    """NFKC; years → Y, other digit runs → 0; no whitespace or punctuation."""
    s = nfkc(text)
    s = re.sub(r"\s+", "", s)
    s = _YEAR.sub("Y", s)
    s = _DIGITS.sub("0", s)
    return _PUNCT.sub("", s)


def narrative_sentences(report: Report, numbers=NARRATIVE_SECTIONS) -> list[tuple[str, str, Optional[int]]]:
    """(normalised, as printed, page) for each sentence of sections 一, 五, 六 (short ones dropped)."""
    out = []
    for sec in sections(report):
        if sec["number"] not in numbers:
            continue
        pages = sec.get("line_pages") or []
        paras = sec["text"].split("\n")
        # PDF lines are wrapped paragraphs: join them, keep the page of each sentence's start
        joined, starts = "", []
        for i, p in enumerate(paras):
            starts.append((len(joined), pages[i] if i < len(pages) else sec.get("page")))
            joined += p.strip() + ("\n" if report.source != "pdf" else "")
        begin = 0
        for m in list(_SENT_END.finditer(joined)) + [None]:
            end = m.end() if m else len(joined)
            raw = joined[begin:end].strip()
            if raw:
                norm = normalise_sentence(raw)
                if len(norm) >= MIN_SENTENCE:
                    page = next((pg for at, pg in reversed(starts) if at <= begin), sec.get("page"))
                    out.append((norm, re.sub(r"\s+", "", nfkc(raw)), page))
            begin = end
    return out


def copied_share(this: Report, last: Report) -> Optional[tuple[float, str, Optional[int]]]:
    """(share of this year's narrative copied from last year's, longest copied passage, its page), or None."""
    a, b = narrative_sentences(this), narrative_sentences(last)
    total = sum(len(n) for n, _, _ in a)
    if total < MIN_COPY_CHARS or not b:
        return None
    matcher = SequenceMatcher(None, [n for n, _, _ in a], [n for n, _, _ in b], autojunk=False)
    blocks = [blk for blk in matcher.get_matching_blocks() if blk.size]
    copied = sum(len(a[i][0]) for blk in blocks for i in range(blk.a, blk.a + blk.size))
    if not blocks:
        return 0.0, "", None
    longest = max(blocks, key=lambda blk: sum(len(a[i][0]) for i in range(blk.a, blk.a + blk.size)))
    passage = "".join(a[i][1] for i in range(longest.a, longest.a + longest.size))
    return copied / total, passage, a[longest.a][2]


def _quote(text: str, width: int = 120) -> str:
    return text if len(text) <= width else text[:width] + "…"


def copied_text_pair(this: Report, last: Report) -> list[Finding]:
    """`history.copied_text` for one report against the same body's report of the year before."""
    got = copied_share(this, last)
    if got is None or got[0] < COPIED_SHARE:
        return []
    share, passage, page = got
    pct = round(share * 100, 1)
    f = _finding(COPIED, this, page=page, quote=_quote(passage), expected=COPIED_SHARE * 100, found=pct,
                 share=M.num(pct), prior_file=last.file, prior_year=last.year, n=len(passage))
    f.cells = [_ref(this), _ref(last)]
    return [f]


def _ref(report: Report, **extra) -> dict:
    """A reference to a whole report in a finding's cells (no table key: nothing to box on a page)."""
    return {"file": report.file, "sha256": report.sha256, "year": report.year, **extra}


# ------------------------------------------------------------------ repeated tables
def _numbers(report: Report) -> dict[tuple, float]:
    return {(c.table, c.row, c.column): float(c.value) for c in report.cells if c.value is not None}


def repeated_tables_pair(this: Report, last: Report) -> list[Finding]:
    """`history.repeated_tables`: every number of this year's tables equals last year's, one at least non-zero.

    Compared over the cells both print as numbers, which must be the same set of keys (a 2019 and a
    2021 report never compare: their `active` keys differ).
    """
    a, b = _numbers(this), _numbers(last)
    if not a or set(a) != set(b) or this.template != last.template:
        return []
    if any(abs(a[k] - b[k]) > 1e-9 for k in a) or not any(v != 0 for v in a.values()):
        return []
    nonzero = sum(1 for v in a.values() if v != 0)
    f = _finding(REPEATED, this, n=len(a), nonzero=nonzero, prior_file=last.file, prior_year=last.year)
    f.cells = [_ref(this), _ref(last)]
    return [f]


# ------------------------------------------------------------------ changed after publication
def _section_texts(report: Report) -> dict[int, str]:
    out = {}
    for s in sections(report):
        lines = [ln for ln in s["text"].split("\n") if not _PAGE_MARK.match(nfkc(ln))]
        out[s["number"]] = _PUNCT.sub("", re.sub(r"\s+", "", nfkc("".join(lines))))
    return out


def changed_pair(this: Report, other: Report) -> list[Finding]:
    """`history.changed_after_publication`: `this` and `other` are two files (sha256) of one body and year.

    Numbers: every key either prints as a number (a key in one file and not the other counts too).
    Sections: one of the narrative parts 一, 五, 六 present in only one file, or whose text (NFKC, no
    whitespace, punctuation, page-number lines or signature) differs; parts 二–四 are the tables,
    compared by their numbers (their text differs between a PDF and an HTML page of one report). The finding belongs to `this`; its cells are this file's differing
    cells, each with `other_value` (the other file's number, None when absent).
    """
    a, b = _numbers(this), _numbers(other)
    keys = sorted(k for k in set(a) | set(b) if a.get(k) != b.get(k))
    sa, sb = _section_texts(this), _section_texts(other)
    # parts 二–四 hold the tables in a PDF's text and not in an HTML page's or a DOCX's paragraphs:
    # the tables are compared by their numbers, the narrative by parts 一, 五 and 六
    sa = {n: t for n, t in sa.items() if n in NARRATIVE_SECTIONS}
    sb = {n: t for n, t in sb.items() if n in NARRATIVE_SECTIONS}
    parts = sorted(n for n in set(sa) | set(sb) if sa.get(n) != sb.get(n)) if (sa and sb) else []
    if not keys and not parts:
        return []
    from schemas.validate import cell_dict

    cells = []
    for k in keys:
        d = cell_dict(this, *k)
        d.update(file=this.file, sha256=this.sha256, other_value=json_number(b.get(k)), other_file=other.file)
        cells.append(d)
    shown = keys[:8]
    cells_zh = "、".join(f"{M.address(this.template, *k)}(本文件 {_n(a.get(k))},另一文件 {_n(b.get(k))})"
                         for k in shown)
    cells_en = ", ".join(f"{'/'.join(k)} (this file {_n(a.get(k))}, the other {_n(b.get(k))})" for k in shown)
    if len(keys) > len(shown):
        cells_zh += f"等 {len(keys)} 格"
        cells_en += f" and {len(keys) - len(shown)} more"
    parts_zh = "、".join(TITLES[n].split("、")[0] for n in parts)
    parts_en = ", ".join(TITLES_EN[n].split(" ")[0] for n in parts)
    what_zh = "; ".join(x for x in (f"数字不同:{cells_zh}" if keys else "", f"第{parts_zh}部分文字不同" if parts else "") if x)
    what_en = "; ".join(x for x in (f"numbers differ: {cells_en}" if keys else "",
                                    f"text of part(s) {parts_en} differs" if parts else "") if x)
    f = _finding(CHANGED, this, cells=cells, other_file=other.file, year=this.year, what=what_zh, what_en=what_en,
                 n_cells=len(keys), sha=this.sha256[:12], other_sha=other.sha256[:12])
    f.found = float(len(keys))
    return [f]


def _n(v) -> str:
    return "无" if v is None else M.num(v)


# ------------------------------------------------------------------ across reports
def history_findings(reports: Iterable[Report], prior: Iterable[Report] = ()) -> dict[str, list[Finding]]:
    """The three history rules for every report of `reports`, against `reports` and `prior` (e.g. the store).

    Returns {sha256: [Finding]} (the later year's report for copied_text / repeated_tables; each of
    the two files for changed_after_publication). Reports are the same body when
    schemas.history.normalise_issuer agrees; a report present in both inputs (same sha256) counts once.
    """
    reports = list(reports)
    by_body = reports_by_body(reports, prior)
    out: dict[str, list[Finding]] = {}
    for r in reports:
        if not comparable(r):
            continue
        body = normalise_issuer(r.issuer)
        fs: list[Finding] = []
        for last in by_body.get((body, r.year - 1), []):
            fs += copied_text_pair(r, last) + repeated_tables_pair(r, last)
        for other in by_body.get((body, r.year), []):
            if other is not r and other.sha256 != r.sha256:
                fs += changed_pair(r, other)
        if fs:
            out.setdefault(r.sha256, []).extend(fs)
    return out
