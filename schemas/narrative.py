"""Narrative against tables: figures the prose states, compared with the cells they restate.

Rule `narrative.mismatch` (warning). The text of every page (Report.pages) is NFKC-normalised
and stripped of whitespace (PDF text breaks lines and puts spaces around digits), the pages
joined, and split into sentences at 。!?; . Each phrasing in `PHRASES` is a regular
expression with a named group `n` (the figure) and the cells it restates; `NEGATIONS` are
the sentences that state a zero (未收到…申请, 未发生…行政复议、行政诉讼).

A mismatch is reported only when the sentence clearly states the same quantity and scope:
- not when the sentence speaks of an aggregate (全市, 全区, 全县, 各级, 各部门, …), which a
  summary report uses for many bodies;
- not when it names another year than the report's (2022年共收到…) or compares (较上年, 同比)
  before the figure;
- not for a part (其中… before it in the sentence) where the phrase is a whole (收到/办结/结转 …);
- review and litigation figures only in a sentence about 信息公开 / 依申请 (a government's
  prose may count all its administrative reviews);
- figures of other things never match: 信息 701 条, 培训 1 次, 信息处理费 0 元 …
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from schemas import messages as M
from schemas.report import Finding, Report
from schemas.vocabulary import OTHER_SPLIT_ROWS, REQUESTS_ROWS_2021, REVIEW_GROUPS

N = r"(?P<n>\d{1,3}(?:,\d{3})+|\d+)"
JOIN = r"(?:共|共计|合计|总计|累计|为|达)?"
AGGREGATE = re.compile(r"全(?:市|区|县|省|州|盟|旗|国|系统|委|局系统)|各(?:级|部门|单位|乡镇|街道|县|区|市|地)|"
                       r"市本级|本系统|所属单位|下属单位")
COMPARE = re.compile(r"上年(?!(?:度)?结转)|去年|同比|较上|比上|上一年(?!(?:度)?结转)")
DISCLOSURE = re.compile(r"信息公开|依申请|公开申请")
NOT_REQUESTS = re.compile(r"复议|诉讼|许可|信访|投诉|举报|审批|处罚")


def _rows(prefix: str) -> tuple[str, ...]:
    return tuple(k for k, _, _ in REQUESTS_ROWS_2021 if k.startswith(prefix))


@dataclass(frozen=True)
class Phrase:
    """One phrasing: regex with group n, the cells whose sum it restates, and what it is called."""

    name: str
    pattern: re.Pattern
    table: str
    cells: tuple[tuple[str, str], ...]  # (row, column) summed; row "other*" resolved at run time
    stated: str  # what the text states, in Chinese
    stated_en: str
    whole: bool = True  # a whole (收到/办结 …): not after 其中
    needs_disclosure: bool = False  # reviews/litigation: only in a sentence about disclosure
    include_carried: bool = False  # 收到 N 件 may include 上年结转 when the sentence says so


def _p(regex: str) -> re.Pattern:
    return re.compile(regex)


R = "requests"
T = "total"
# Order matters: the first phrase to claim a span of text wins (予以公开及部分公开 before 部分公开).
PHRASES: tuple[Phrase, ...] = (
    # 共收到 / 新收 / 受理 / 接收 政府信息公开申请 N 件  → requests/new/total
    Phrase("received", _p(r"(?:收到|新收|受理|接收|接到|收悉)(?:了)?(?P<mid>[^。;,\d]{0,30}?)申请(?:数量)?"
                          + JOIN + N + r"件"),
           R, (("new", T),), "收到政府信息公开申请", "applications received", include_carried=True),
    # 上年结转 M 件 → requests/carried_over/total
    Phrase("carried_over", _p(r"上(?:一)?年(?:度)?结转(?:的|来)?(?:政府信息公开)?(?:申请)?" + JOIN + N + r"件"),
           R, (("carried_over", T),), "上年结转申请", "applications carried over"),
    # 办结 / 答复 K 件 → requests/total_processed/total
    Phrase("processed", _p(r"(?:办结|答复|办理完毕|处理完毕)(?:了)?(?:政府信息公开)?(?:申请)?" + JOIN + N + r"件"),
           R, (("total_processed", T),), "办结申请", "applications processed"),
    # 结转下年度(继续办理) J 件 / J 件结转下年度 → requests/carried_forward/total
    Phrase("carried_forward", _p(r"(?:结转|顺延)(?:至|到)?下(?:一)?年(?:度)?(?:继续办理|办理)?(?:的)?(?:申请)?"
                                 + JOIN + N + r"件"),
           R, (("carried_forward", T),), "结转下年度申请", "applications carried forward"),
    Phrase("carried_forward_before", _p(N + r"件(?:申请)?(?:结转|顺延)(?:至|到)?下(?:一)?年"),
           R, (("carried_forward", T),), "结转下年度申请", "applications carried forward"),
    # 办理结果
    Phrase("granted_and_partly", _p(r"(?<!不)予以公开(?:及|和|与|、)部分公开(?:的)?" + JOIN + N + r"件"),
           R, (("granted", T), ("partly_granted", T)), "予以公开及部分公开", "granted and partly granted",
           whole=False),
    Phrase("granted", _p(r"(?<!不)予以公开(?:的)?" + JOIN + N + r"件"),
           R, (("granted", T),), "予以公开", "granted", whole=False),
    Phrase("partly_granted", _p(r"部分公开(?:的)?" + JOIN + N + r"件"),
           R, (("partly_granted", T),), "部分公开", "partly granted", whole=False),
    Phrase("denied", _p(r"不予(?:以)?公开(?:的)?" + JOIN + N + r"件"),
           R, tuple((r, T) for r in _rows("denied_")), "不予公开", "denied", whole=False),
    Phrase("unavailable", _p(r"无法提供(?:的)?" + JOIN + N + r"件"),
           R, tuple((r, T) for r in _rows("unavailable_")), "无法提供", "unavailable", whole=False),
    Phrase("rejected", _p(r"不予处理(?:的)?" + JOIN + N + r"件"),
           R, tuple((r, T) for r in _rows("rejected_")), "不予处理", "not processed", whole=False),
    Phrase("other", _p(r"其他处理(?:的)?" + JOIN + N + r"件"),
           R, (("other*", T),), "其他处理", "otherwise handled", whole=False),
    # 行政复议 N 件/起 → reviews/all/review_total; 行政诉讼 N 件/起 → the two suit totals
    Phrase("reviews", _p(r"行政复议(?:案件|申请)?" + JOIN + N + r"(?:件|起|宗)"),
           "reviews", (("all", "review_total"),), "行政复议", "administrative reviews", needs_disclosure=True),
    Phrase("suits", _p(r"行政诉讼(?:案件)?" + JOIN + N + r"(?:件|起|宗)"),
           "reviews", (("all", "suit_direct_total"), ("all", "suit_after_review_total")), "行政诉讼",
           "lawsuits", needs_disclosure=True),
    # 表二
    Phrase("normative_issued", _p(r"(?:制发|出台|印发|制定)(?:了)?(?:行政)?规范性文件" + JOIN + N + r"(?:件|份|个)"),
           "active", (("normative_documents", "issued"),), "制发行政规范性文件", "normative documents issued"),
    Phrase("normative_repealed", _p(r"废止(?:了)?(?:行政)?规范性文件" + JOIN + N + r"(?:件|份|个)"),
           "active", (("normative_documents", "repealed"),), "废止行政规范性文件", "normative documents repealed"),
    Phrase("punishment", _p(r"(?:作出|做出|办理|实施)(?:了)?(?P<mid>[^。;,\d]{0,6}?)行政处罚(?:决定|案件)?(?:书)?"
                            + JOIN + N + r"(?:件|起|宗|个)"),
           "active", (("punishment", "decisions"),), "作出行政处罚决定", "punishment decisions"),
    Phrase("licensing", _p(r"(?:作出|做出|办理|办结|实施)(?:了)?(?P<mid>[^。;,\d]{0,6}?)行政许可(?:决定|事项|审批)?"
                           + JOIN + N + r"(?:件|个)"),
           "active", (("licensing", "decisions"),), "作出行政许可决定", "licensing decisions"),
    Phrase("enforcement", _p(r"(?:作出|做出|实施|采取|办理)(?:了)?(?P<mid>[^。;,\d]{0,6}?)行政强制(?:措施|决定|执行)?"
                             + JOIN + N + r"(?:件|起|个)"),
           "active", (("enforcement", "decisions"),), "作出行政强制决定", "enforcement decisions"),
)


@dataclass(frozen=True)
class Negation:
    """A sentence stating zero: the cells that must then all be 0."""

    name: str
    pattern: re.Pattern
    stated: str
    stated_en: str


NEGATIONS: tuple[Negation, ...] = (
    # 未收到(公民、法人和其他组织)政府信息公开申请 / 无依申请公开 → requests/new/total = 0
    Negation("none_received", _p(r"(?:未|没有|无)(?:收到|接到|受理|接收)(?P<mid>[^。;,\d]{0,30}?)"
                                 r"(?:政府信息公开|依申请公开)(?:的)?申请(?!引发|引起|而|导致)"),
             "未收到政府信息公开申请", "no application received"),
    Negation("none_received_short", _p(r"(?:无|没有)依申请公开(?:事项|情况|申请)"),
             "无依申请公开", "no application received"),
    # 未发生(因政府信息公开申请引发的)行政复议、行政诉讼 → reviews all 0
    Negation("none_reviews_suits", _p(r"(?:未|没有|无)(?:发生|出现|收到|产生|被申请|被提起|有)?(?P<mid>[^。;,]{0,40}?)"
                                      r"行政复议(?:、|和|及|或|与|或者|以及)(?:被提起)?行政诉讼"),
             "未发生行政复议、行政诉讼", "no administrative review or lawsuit"),
    Negation("none_reviews_suits_zero", _p(r"行政复议(?:、|和|及|与)行政诉讼(?:案件)?(?:数量)?(?:均为|皆为|都为|均是)(?:0|零)"),
             "行政复议、行政诉讼均为 0", "no administrative review or lawsuit"),
)

REVIEW_PARTS = ("upheld", "corrected", "other", "pending")
SENTENCE_END = re.compile(r"[。!?;]")
CLAUSE_END = re.compile(r"[,;:。]")


def normalize(text: str) -> str:
    """NFKC, no whitespace: the form every phrasing is matched against."""
    text = unicodedata.normalize("NFKC", text or "")
    return "".join(ch for ch in text if not ch.isspace())


@dataclass
class Sentence:
    text: str
    page: int  # 1-based page where the sentence starts
    start: int  # offset in the joined text


def sentences(pages: list[str]) -> list[Sentence]:
    """Sentences of the joined, normalised pages, each with the page it starts on."""
    joined, starts = "", []
    for text in pages:
        starts.append(len(joined))
        joined += normalize(text)
    out, begin = [], 0
    for m in list(SENTENCE_END.finditer(joined)) + [None]:
        end = m.end() if m else len(joined)
        if end > begin:
            page = max(i for i, s in enumerate(starts) if s <= begin) + 1 if starts else 1
            out.append(Sentence(joined[begin:end], page, begin))
        begin = end
    return out


def _years_other_than(text: str, year: int | None) -> bool:
    if not year:
        return False
    return any(int(y) != year for y in re.findall(r"(20\d\d)年", text))


def _clause_prefix(sentence: str, at: int) -> str:
    cut = max((m.end() for m in CLAUSE_END.finditer(sentence, 0, at)), default=0)
    return sentence[cut:at]


def _value(report: Report, table: str, row: str, column: str):
    c = report.cell(table, row, column)
    return None if c is None or c.value is None else float(c.value)


def _resolve(report: Report, cells) -> list[tuple[str, str]]:
    out = []
    for row, col in cells:
        if row == "other*":
            rows = ["other_combined"] if report.cell("requests", "other_combined", col) else list(OTHER_SPLIT_ROWS)
            out += [(r, col) for r in rows]
        else:
            out.append((row, col))
    return out


def _table_sum(report: Report, table: str, cells) -> float | None:
    values = [_value(report, table, r, c) for r, c in cells]
    return None if not values or any(v is None for v in values) else float(sum(values))


def _quote(sentence: str, start: int, end: int, width: int = 90) -> str:
    """The sentence, or a window of it around the figure when it is long (a table run)."""
    if len(sentence) <= width:
        return sentence
    a = max(0, start - width // 2)
    b = min(len(sentence), max(end, a + width))
    return ("…" if a else "") + sentence[a:b] + ("…" if b < len(sentence) else "")


def _cell_dicts(report: Report, table: str, cells) -> list[dict]:
    from schemas.validate import cell_dict
    return [cell_dict(report, table, r, c) for r, c in cells]


def _address(report: Report, table: str, cells, phrase_name: str) -> tuple[str, str, str | None, str | None]:
    """Address of the compared cell(s): (zh, en, row key, column key)."""
    if len(cells) == 1:
        row, col = cells[0]
        return M.address(report.template, table, row, col), M.address_en(table, row, col), row, col
    if table == "reviews":
        return ("表四行政诉讼(未经复议直接起诉与复议后起诉)总计之和", "reviews suit_direct_total + suit_after_review_total",
                "all", None)
    rows = sorted({r for r, _ in cells}, key=[k for k, _, _ in REQUESTS_ROWS_2021 + (("other_combined", "", ""),)].index)
    first = M.row_text(report.template, table, rows[0]).removesuffix("行")
    label = {"granted_and_partly": "第(一)项与第(二)项", "denied": "第(三)项\"不予公开\"各目",
             "unavailable": "第(四)项\"无法提供\"各目", "rejected": "第(五)项\"不予处理\"各目",
             "other": "第(六)项\"其他处理\"各目"}.get(phrase_name, first)
    return (f"表三{label}\"总计\"列之和", f"requests {'+'.join(rows)} / total", None, "total")


def narrative_findings(report: Report) -> list[Finding]:
    """Findings for figures in the text that contradict the tables."""
    out: list[Finding] = []
    seen = set()
    for s in sentences(report.pages):
        text = s.text
        if _years_other_than(text, report.year):
            continue
        aggregate = AGGREGATE.search(text) is not None
        claimed: list[tuple[int, int]] = []
        for ph in PHRASES:
            for m in ph.pattern.finditer(text):
                span = (m.start(), m.end())
                if any(a < span[1] and span[0] < b for a, b in claimed):
                    continue
                claimed.append(span)
                mid = m.groupdict().get("mid") or ""
                if ph.name == "received" and NOT_REQUESTS.search(mid):
                    continue
                if aggregate:
                    continue
                if ph.needs_disclosure and not DISCLOSURE.search(text):
                    continue
                clause = _clause_prefix(text, m.start())
                if COMPARE.search(clause) or (ph.whole and "其中" in text[:m.start()]):
                    continue
                if ph.table == "active" and ph.name.startswith("normative") and report.template == "2019":
                    if ph.name == "normative_repealed":
                        continue
                    cells = [("normative_documents", "made")]
                else:
                    cells = _resolve(report, ph.cells)
                table_value = _table_sum(report, ph.table, cells)
                if table_value is None:
                    continue
                stated = float(m.group("n").replace(",", ""))
                accepted = [table_value]
                after = text[m.end():m.end() + 12]
                if ph.include_carried and re.match(r"^\(?(?:含|包括|包含|其中)上(?:一)?年(?:度)?结转", after):
                    carried = _value(report, "requests", "carried_over", "total")
                    if carried is not None:
                        cells = cells + [("carried_over", "total")]
                        table_value = table_value + carried
                        accepted.append(table_value)
                if any(abs(stated - v) < 1e-6 for v in accepted):
                    continue
                key = (ph.table, tuple(cells), stated)
                if key in seen:
                    continue
                seen.add(key)
                zh_addr, en_addr, row, col = _address(report, ph.table, cells, ph.name)
                fields = dict(page=s.page, quote=_quote(text, m.start(), m.end()), stated=ph.stated,
                              stated_en=ph.stated_en, found=M.num(stated), expected=M.num(table_value),
                              diff=M.num(abs(stated - table_value)), addr=zh_addr, addr_en=en_addr)
                out.append(_make(report, ph.table, row, col, table_value, stated, cells, s, fields, None))
        for neg in NEGATIONS:
            for m in neg.pattern.finditer(text):
                mid = m.groupdict().get("mid") or ""
                if aggregate or _years_other_than(_clause_prefix(text, m.start()), report.year):
                    continue
                if neg.name == "none_received":
                    if NOT_REQUESTS.search(mid):
                        continue
                    table, cells = "requests", [("new", "total")]
                    zh_addr, en_addr, row, col = M.address(report.template, table, "new", "total"), \
                        "requests/new/total", "new", "total"
                elif neg.name == "none_received_short":
                    table, cells = "requests", [("new", "total")]
                    zh_addr, en_addr, row, col = M.address(report.template, table, "new", "total"), \
                        "requests/new/total", "new", "total"
                else:
                    table, row, col = "reviews", "all", None
                    cells = _review_case_cells(report)
                    if cells is None:
                        continue
                    cells = [k for k in cells if _value(report, table, *k)]
                    zh_addr, en_addr = "表四行政复议、行政诉讼案件数", "reviews (all cases)"
                if table == "requests":
                    table_value = _table_sum(report, table, cells)
                else:
                    table_value = _table_sum(report, table, cells) if cells else 0.0
                if table_value is None or table_value == 0:
                    continue
                key = (table, tuple(cells), 0.0)
                if key in seen:
                    continue
                seen.add(key)
                fields = dict(page=s.page, quote=_quote(text, m.start(), m.end()), stated=neg.stated,
                              stated_en=neg.stated_en, expected=M.num(table_value), addr=zh_addr, addr_en=en_addr)
                out.append(_make(report, table, row, col, table_value, 0.0, cells, s, fields, "narrative.mismatch:none"))
    return out


def _review_case_cells(report: Report) -> list[tuple[str, str]] | None:
    """The cells counting cases: each group's four results (or its total when results are blank)."""
    cells = []
    for group in REVIEW_GROUPS:
        parts = [("all", f"{group}_{p}") for p in REVIEW_PARTS]
        if all(_value(report, "reviews", *k) is not None for k in parts):
            cells += parts
        elif _value(report, "reviews", "all", f"{group}_total") is not None:
            cells.append(("all", f"{group}_total"))
        else:
            return None
    return cells


def _make(report: Report, table, row, col, expected, found, cells, s: Sentence, fields, key) -> Finding:
    zh, en = M.render(key or "narrative.mismatch", **fields)
    return Finding(rule="narrative.mismatch", severity="warning", table=table, row=row, column=col,
                   expected=expected, found=found, message=zh, message_en=en,
                   cells=_cell_dicts(report, table, cells), file=report.file, quote=fields["quote"], page=s.page)


def recognised(pages: list[str]) -> list[tuple[str, str, int]]:
    """Every phrasing that matches the text: (phrase or negation name, matched text, page). For tests."""
    out = []
    for s in sentences(pages):
        for p in PHRASES + NEGATIONS:
            out += [(p.name, m.group(0), s.page) for m in p.pattern.finditer(s.text)]
    return out
