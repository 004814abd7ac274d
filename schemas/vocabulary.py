"""The canonical vocabulary: tables, row keys, column keys and the templates' Chinese labels.

Plain data shared by the extractor (label matching), the validator (schemas, messages) and
the writers (layouts, codebooks). Keys follow ../shared/spec/canonical-keys.md and are the
project's public contract.
"""

from __future__ import annotations

TEMPLATES = ("2021", "2019")
TABLES = ("active", "requests", "reviews")

TABLE_TITLES = {
    "active": "二、主动公开政府信息情况",
    "requests": "三、收到和处理政府信息公开申请情况",
    "reviews": "四、政府信息公开行政复议、行政诉讼情况",
}
TABLE_NUMBERS = {"active": "二", "requests": "三", "reviews": "四"}

# ---------------------------------------------------------------- table `active`
# Each row: (key, label, block heading, the columns it carries).
ACTIVE_COLUMNS_2021 = {
    "issued": "本年制发件数",
    "repealed": "本年废止件数",
    "in_force": "现行有效件数",
    "decisions": "本年处理决定数量",
    "amount": "本年收费金额(单位:万元)",
}
ACTIVE_ROWS_2021 = (
    ("regulations", "规章", "第二十条第(一)项", ("issued", "repealed", "in_force")),
    ("normative_documents", "行政规范性文件", "第二十条第(一)项", ("issued", "repealed", "in_force")),
    ("licensing", "行政许可", "第二十条第(五)项", ("decisions",)),
    ("punishment", "行政处罚", "第二十条第(六)项", ("decisions",)),
    ("enforcement", "行政强制", "第二十条第(六)项", ("decisions",)),
    ("fees", "行政事业性收费", "第二十条第(八)项", ("amount",)),
)

ACTIVE_COLUMNS_2019 = {
    "made": "本年新制作数量",
    "published": "本年新公开数量",
    "published_total": "对外公开总数量",
    "items_last_year": "上一年项目数量",
    "items_change": "本年增/减",
    "decisions": "处理决定数量",
    "projects": "采购项目数量",
    "amount": "采购总金额",
}
ACTIVE_ROWS_2019 = (
    ("regulations", "规章", "第二十条第(一)项", ("made", "published", "published_total")),
    ("normative_documents", "规范性文件", "第二十条第(一)项", ("made", "published", "published_total")),
    ("licensing", "行政许可", "第二十条第(五)项", ("items_last_year", "items_change", "decisions")),
    ("other_services", "其他对外管理服务事项", "第二十条第(五)项", ("items_last_year", "items_change", "decisions")),
    ("punishment", "行政处罚", "第二十条第(六)项", ("items_last_year", "items_change", "decisions")),
    ("enforcement", "行政强制", "第二十条第(六)项", ("items_last_year", "items_change", "decisions")),
    ("fees", "行政事业性收费", "第二十条第(八)项", ("items_last_year", "items_change")),
    ("procurement", "政府集中采购", "第二十条第(九)项", ("projects", "amount")),
)

# ---------------------------------------------------------------- table `requests`
REQUESTS_COLUMNS = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_service": "法律服务机构",
    "other_org": "其他",
    "total": "总计",
}
APPLICANT_COLUMNS = ("natural_person", "commercial", "research", "public_interest", "legal_service", "other_org")

# (key, group label, item label). The group is the template's (一)…(七) heading.
REQUESTS_ROWS_2021 = (
    ("new", "", "一、本年新收政府信息公开申请数量"),
    ("carried_over", "", "二、上年结转政府信息公开申请数量"),
    ("granted", "三、本年度办理结果", "(一)予以公开"),
    ("partly_granted", "三、本年度办理结果", "(二)部分公开(区分处理的,只计这一情形,不计其他情形)"),
    ("denied_state_secret", "(三)不予公开", "1.属于国家秘密"),
    ("denied_prohibited", "(三)不予公开", "2.其他法律行政法规禁止公开"),
    ("denied_security", "(三)不予公开", "3.危及\"三安全一稳定\""),
    ("denied_third_party", "(三)不予公开", "4.保护第三方合法权益"),
    ("denied_internal", "(三)不予公开", "5.属于三类内部事务信息"),
    ("denied_process", "(三)不予公开", "6.属于四类过程性信息"),
    ("denied_enforcement_file", "(三)不予公开", "7.属于行政执法案卷"),
    ("denied_query", "(三)不予公开", "8.属于行政查询事项"),
    ("unavailable_not_held", "(四)无法提供", "1.本机关不掌握相关政府信息"),
    ("unavailable_needs_creation", "(四)无法提供", "2.没有现成信息需要另行制作"),
    ("unavailable_unclear", "(四)无法提供", "3.补正后申请内容仍不明确"),
    ("rejected_petition", "(五)不予处理", "1.信访举报投诉类申请"),
    ("rejected_duplicate", "(五)不予处理", "2.重复申请"),
    ("rejected_publication", "(五)不予处理", "3.要求提供公开出版物"),
    ("rejected_excessive", "(五)不予处理", "4.无正当理由大量反复申请"),
    ("rejected_confirmation", "(五)不予处理", "5.要求行政机关确认或重新出具已获取信息"),
    ("other_no_correction", "(六)其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("other_no_fee", "(六)其他处理", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("other_other", "(六)其他处理", "3.其他"),
    ("total_processed", "三、本年度办理结果", "(七)总计"),
    ("carried_forward", "", "四、结转下年度继续办理"),
)
OTHER_SPLIT_ROWS = ("other_no_correction", "other_no_fee", "other_other")
OTHER_COMBINED = ("other_combined", "三、本年度办理结果", "(六)其他处理")

# The 22 result rows summed into total_processed (other_combined replaces the three other_*).
RESULT_ROWS_2021 = tuple(k for k, _, _ in REQUESTS_ROWS_2021[2:23])
RESULT_ROWS_COMBINED = tuple(k for k in RESULT_ROWS_2021 if k not in OTHER_SPLIT_ROWS) + ("other_combined",)


def requests_rows(template: str, combined_other: bool | None = None) -> tuple[tuple[str, str, str], ...]:
    """Rows of `requests` in printed order; the 2019 template always has (六) as one row."""
    if combined_other is None:
        combined_other = template == "2019"
    if not combined_other:
        return REQUESTS_ROWS_2021
    rows = [r for r in REQUESTS_ROWS_2021 if r[0] not in OTHER_SPLIT_ROWS]
    at = [r[0] for r in rows].index("total_processed")
    return tuple(rows[:at]) + (OTHER_COMBINED,) + tuple(rows[at:])


# ---------------------------------------------------------------- table `reviews`
REVIEW_RESULTS = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结", "total": "总计"}
REVIEW_GROUPS = {"review": "行政复议", "suit_direct": "未经复议直接起诉", "suit_after_review": "复议后起诉"}
REVIEWS_COLUMNS = {
    f"{group}_{result}": (glabel, rlabel)
    for group, glabel in REVIEW_GROUPS.items()
    for result, rlabel in REVIEW_RESULTS.items()
}
REVIEWS_ROW = "all"
REVIEW_TOTALS = {
    "reviews.review_total": "review",
    "reviews.suit_direct_total": "suit_direct",
    "reviews.suit_after_review_total": "suit_after_review",
}


# ---------------------------------------------------------------- shared helpers
def active_rows(template: str):
    """Rows of `active` for a template: (key, label, block, columns)."""
    return ACTIVE_ROWS_2019 if template == "2019" else ACTIVE_ROWS_2021


def active_column_labels(template: str) -> dict[str, str]:
    """Column key → label of `active` for a template."""
    return ACTIVE_COLUMNS_2019 if template == "2019" else ACTIVE_COLUMNS_2021


def expected_cells(template: str, table: str, combined_other: bool = False) -> list[tuple[str, str]]:
    """Every (row, column) a complete table of this template holds, in printed order."""
    if table == "active":
        return [(row, col) for row, _, _, cols in active_rows(template) for col in cols]
    if table == "requests":
        return [(row, col) for row, _, _ in requests_rows(template, combined_other or template == "2019")
                for col in REQUESTS_COLUMNS]
    if table == "reviews":
        return [(REVIEWS_ROW, col) for col in REVIEWS_COLUMNS]
    raise KeyError(table)


def row_label(template: str, table: str, row: str) -> str:
    """The template's Chinese label of a row."""
    if table == "active":
        return next(label for key, label, _, _ in active_rows(template) if key == row)
    if table == "requests":
        if row == "other_combined":
            return OTHER_COMBINED[2]
        group, item = next((g, i) for key, g, i in REQUESTS_ROWS_2021 if key == row)
        return f"{group}{item}" if group.startswith("(") else item
    return "行政复议、行政诉讼"


def column_label(template: str, table: str, column: str) -> str:
    """The template's Chinese label of a column."""
    if table == "active":
        return active_column_labels(template)[column]
    if table == "requests":
        return REQUESTS_COLUMNS[column]
    group, result = REVIEWS_COLUMNS[column]
    return f"{group}{result}"


def is_decimal(template: str, table: str, row: str, column: str) -> bool:
    """Whether a cell holds a decimal amount rather than a whole count."""
    return table == "active" and column == "amount"


def is_signed(template: str, table: str, row: str, column: str) -> bool:
    """Whether a cell may be negative (the 2019 template's 本年增/减)."""
    return table == "active" and column == "items_change"
