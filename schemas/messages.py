"""Every finding's message, Chinese and English, keyed by rule id: the one place to edit wording.

`MESSAGES[rule] = (zh, en)` are `str.format` templates. Fields used:
  addr / addr_en     the cell's address (表三第(七)项"总计"行"自然人"列 / requests/total_processed/natural_person)
  found, expected, diff   numbers as printed (diff is |found − expected|)
  col / col_en       a column's label / key;  tname / tname_en   a table's title / key
  raw, mark          the cell's printed text, and how it reads (空白, "—", "/", "无")
  what, what_en      a missing row/column or a deviation described
  relations, n       the relations a root cell breaks, and how many
  page, quote, stated, stated_en   narrative: page number, the sentence, what it states
  conf               an OCR confidence (0–1, two decimals); page is also the scanned page of an OCR cell
"""

from __future__ import annotations

import re

from schemas.vocabulary import (
    REQUESTS_ROWS_2021,
    REVIEW_GROUPS,
    REVIEW_RESULTS,
    TABLE_NUMBERS,
    TABLE_TITLES,
    active_column_labels,
    active_rows,
)

MESSAGES: dict[str, tuple[str, str]] = {
    # arithmetic (error)
    "requests.row_total": (
        "{addr}为 {found},但该行六类申请人(自然人及法人或其他组织五类)之和为 {expected},相差 {diff}",
        "{addr_en} is {found}, but the six applicant columns of the row sum to {expected} (difference {diff})",
    ),
    "requests.column_total": (
        "{addr}为 {found},但各办理结果之和为 {expected},相差 {diff}",
        "{addr_en} is {found}, but the result rows (一)…(六) of the column sum to {expected} (difference {diff})",
    ),
    "requests.balance": (
        "表三\"{col}\"列第三项加第四项之和为 {found},但第一项加第二项之和为 {expected},相差 {diff}"
        "(模板注明:第一项加第二项之和,等于第三项加第四项之和)",
        "requests, column {col_en}: total_processed + carried_forward = {found}, but new + carried_over = "
        "{expected} (difference {diff})",
    ),
    "reviews.review_total": (
        "{addr}为 {found},但行政复议结果维持、结果纠正、其他结果、尚未审结之和为 {expected},相差 {diff}",
        "{addr_en} is {found}, but upheld + corrected + other + pending of administrative review sum to "
        "{expected} (difference {diff})",
    ),
    "reviews.suit_direct_total": (
        "{addr}为 {found},但未经复议直接起诉的结果维持、结果纠正、其他结果、尚未审结之和为 {expected},相差 {diff}",
        "{addr_en} is {found}, but upheld + corrected + other + pending of suits filed directly sum to "
        "{expected} (difference {diff})",
    ),
    "reviews.suit_after_review_total": (
        "{addr}为 {found},但复议后起诉的结果维持、结果纠正、其他结果、尚未审结之和为 {expected},相差 {diff}",
        "{addr_en} is {found}, but upheld + corrected + other + pending of suits after review sum to "
        "{expected} (difference {diff})",
    ),
    "relations.root_cell": (
        "{addr}为 {found},同时使 {n} 项勾稽关系不成立({relations}),很可能是出错的单元格;"
        "若该格为 {expected},上述关系均成立",
        "{addr_en} is {found} and breaks {n} relations at once ({relations_en}): likely the wrong cell; "
        "with {expected} there, all of them hold",
    ),
    # suffix added to each symptom of a root cell
    "relations.root_hint": (
        ";可能的出错单元格:{addr}",
        "; likely wrong cell: {addr_en}",
    ),
    # values (warning)
    "value.blank": (
        "{addr}为{mark},未填写数字(多表示 0,但本工具不将其自动视为 0),请核实",
        "{addr_en} holds {mark_en} instead of a number (often meaning 0, never read as 0 here)",
    ),
    "value.unreadable": (
        "{addr}的内容\"{raw}\"无法识别为数字,请核实",
        "{addr_en} reads \"{raw}\", which is not a number",
    ),
    "ocr.low_confidence": (
        "{addr}(第 {page} 页扫描件)识别为\"{raw}\",识别置信度仅 {conf},请对照原件核实",
        "{addr_en} (scanned page {page}) was read by OCR as \"{raw}\" with confidence {conf} only: check it "
        "against the scan",
    ),
    "value.negative": (
        "{addr}为 {found},数量或金额不应为负数",
        "{addr_en} is {found}: a count or amount cannot be negative",
    ),
    "value.non_integer": (
        "{addr}为 {found},件数应为整数",
        "{addr_en} is {found}: a count must be a whole number",
    ),
    "value.fee_unit": (
        "{addr}印为\"{raw}\",{why},请核实是否误以\"元\"代替\"万元\"填报",
        "{addr_en} is printed \"{raw}\": {why_en}; check whether it was filled in 元 instead of 万元",
    ),
    # template (warning / error)
    "template.missing": (
        "{tname}缺少{what},无法核对相关勾稽关系",
        "{tname_en}: {what_en} is missing; the relations involving it cannot be checked",
    ),
    "template.deviation": (
        "{tname}与年度报告格式模板不一致:{what}",
        "{tname_en} deviates from the template: {what_en}",
    ),
    "table.missing": (
        "未找到{tname}",
        "table {tname_en} was not found in the report",
    ),
    # plausibility (info)
    "active.in_force_below_issued": (
        "{addr}为 {found},少于本年制发件数 {expected},请核实(同年制发又废止的情况除外)",
        "{addr_en} is {found}, fewer than the {expected} issued this year (possible only if some were "
        "also repealed)",
    ),
    # narrative (warning)
    "narrative.mismatch": (
        "第 {page} 页文字称{stated}为 {found},但{addr}为 {expected},相差 {diff}。原文:\"{quote}\"",
        "page {page}: the text states {stated_en} = {found}, but {addr_en} is {expected} (difference {diff}). "
        "Text: \"{quote}\"",
    ),
    "narrative.mismatch:none": (
        "第 {page} 页文字称{stated},但{addr}为 {expected}。原文:\"{quote}\"",
        "page {page}: the text states {stated_en}, but {addr_en} is {expected}. Text: \"{quote}\"",
    ),
    # beyond arithmetic: completeness, timeliness, history (warning; schemas.supervision)
    "completeness.section_missing": (
        "报告中未找到\"{title}\"部分(年度报告格式规定的六个部分之一),请核实是否缺项",
        "part {title_en} (\"{title}\"), one of the six parts the template requires, was not found in the report",
    ),
    "completeness.fee_statement_missing": (
        "\"{heading}\"部分未说明是否收取信息处理费(应写明收取或未收取信息处理费;与表二行政事业性收费无关)",
        "part VI (\"{heading}\") does not say whether an information processing fee (信息处理费) was charged "
        "(this is not the table II fee row)",
    ),
    "timeliness.late": (
        "报告发布日期为 {date_zh}(依据:{where}),晚于《条例》第四十九条对{who}规定的公布期限 {deadline_zh},"
        "逾期 {days} 天。原文:\"{quote}\"",
        "published {date} (from {where_en}), after the deadline of Article 49 of the Regulations for {who_en}, "
        "{deadline}: {days} days late. Text: \"{quote}\"",
    ),
    "history.copied_text": (
        "第一、五、六部分文字与上年({prior_year} 年)报告 {prior_file} 的相同比例为 {share}%(不低于 50%;"
        "已忽略空白、标点、数字和年份,按句比对)。最长的雷同段落({n} 字):\"{quote}\"",
        "parts I, V and VI are {share}% the same text as last year's report {prior_file} ({prior_year}) "
        "(at least 50%; whitespace, punctuation, digits and years ignored; sentences compared). Longest copied "
        "passage ({n} characters): \"{quote}\"",
    ),
    "history.repeated_tables": (
        "表格的 {n} 个数字与上年({prior_year} 年)报告 {prior_file} 完全相同(其中 {nonzero} 个不为 0),疑似照抄上年数据",
        "all {n} numbers of the tables equal those of last year's report {prior_file} ({prior_year}), {nonzero} of "
        "them non-zero: the tables look copied",
    ),
    "history.changed_after_publication": (
        "同一机关 {year} 年度报告有两个内容不同的文件:本文件(SHA-256 {sha}…)与 {other_file}(SHA-256 "
        "{other_sha}…),疑似发布后修改。{what}",
        "two different files of this body's {year} report: this file (SHA-256 {sha}…) and {other_file} "
        "(SHA-256 {other_sha}…) differ, changed after publication? {what_en}",
    ),
}

RULE_IDS = tuple(k for k in MESSAGES if ":" not in k and k != "relations.root_hint")

MARKS = {"blank": ("空白", "a blank"), "dash": ("\"—\"", "a dash"), "slash": ("\"/\"", "a slash"),
         "none": ("\"无\"", "\"无\"")}


def render(key: str, **fields) -> tuple[str, str]:
    """The (Chinese, English) message of a rule with its fields filled in."""
    zh, en = MESSAGES[key]
    return zh.format(**fields), en.format(**fields)


def num(value) -> str:
    """A number as an auditor writes it: 12, 7730.28."""
    if value is None:
        return "—"
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


# ------------------------------------------------------------------ cell addresses
_STRIP_NOTE = re.compile(r"\(区分处理的[^)]*\)")


def table_name(table: str) -> str:
    """表三(收到和处理政府信息公开申请情况)."""
    return f"表{TABLE_NUMBERS.get(table, table)}({TABLE_TITLES.get(table, table).split('、', 1)[-1]})"


def _requests_row(row: str) -> str:
    if row == "other_combined":
        return "第(六)项\"其他处理\"行"
    entry = next((e for e in REQUESTS_ROWS_2021 if e[0] == row), None)
    if entry is None:
        return f"\"{row}\"行"
    _, group, item = entry
    item = _STRIP_NOTE.sub("", item)
    m = re.match(r"^([一二三四])、(.+)$", item)
    if m:
        return f"第{m.group(1)}项\"{m.group(2)}\"行"
    m = re.match(r"^(\([一二三四五六七]\))(.+)$", item)
    if m:
        return f"第{m.group(1)}项\"{m.group(2)}\"行"
    m = re.match(r"^(\d+)\.(.+)$", item)
    g = re.match(r"^(\([一二三四五六七]\))(.+)$", group)
    if m and g:
        return f"第{g.group(1)}项\"{g.group(2)}\"第{m.group(1)}目\"{m.group(2)}\"行"
    return f"\"{item}\"行"


def row_text(template: str, table: str, row: str | None) -> str:
    if row is None:
        return ""
    if table == "requests":
        return _requests_row(row)
    if table == "active":
        label = next((lab for key, lab, _, _ in active_rows(template) if key == row), row)
        return f"\"{label}\"行"
    return ""


def column_text(template: str, table: str, column: str | None) -> str:
    if column is None:
        return ""
    if table == "requests":
        if column == "other_org":
            return "\"法人或其他组织·其他\"列"
        from schemas.vocabulary import REQUESTS_COLUMNS
        return f"\"{REQUESTS_COLUMNS.get(column, column)}\"列"
    if table == "active":
        return f"\"{active_column_labels(template).get(column, column)}\"列"
    group, _, result = column.rpartition("_")
    if group in REVIEW_GROUPS and result in REVIEW_RESULTS:
        glabel = REVIEW_GROUPS[group] if group == "review" else f"行政诉讼·{REVIEW_GROUPS[group]}"
        return f"\"{glabel}·{REVIEW_RESULTS[result]}\"列"
    return f"\"{column}\"列"


def address(template: str, table: str, row: str | None, column: str | None) -> str:
    """表三第(七)项"总计"行"自然人"列 — the Chinese address of a cell (or row, or column)."""
    return f"表{TABLE_NUMBERS.get(table, table)}{row_text(template, table, row)}{column_text(template, table, column)}"


def address_en(table: str, row: str | None, column: str | None) -> str:
    """requests/total_processed/natural_person."""
    return "/".join(p for p in (table, row, column) if p)


RELATION_NAMES = {
    "requests.row_total": ("{row}合计", "row total of {row}"),
    "requests.column_total": ("{col}办理结果合计", "column total of {col}"),
    "requests.balance": ("{col}第一项加第二项之和等于第三项加第四项之和", "balance of column {col}"),
    "reviews.review_total": ("行政复议总计", "review total"),
    "reviews.suit_direct_total": ("直接起诉总计", "direct suit total"),
    "reviews.suit_after_review_total": ("复议后起诉总计", "suit-after-review total"),
}
