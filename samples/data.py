"""Report content for the sample corpus: numbers (consistent by construction), narrative, truth.

A *report spec* is a plain dict that every renderer (make_docx.py, make_pdf.py) reads:

    name, issuer, short, year, layout, notes, combined_other,
    values   {table: {row: {col: int|float}}}       the intended numbers
    printed  {(table,row,col): str}                 overrides of the printed text of a cell
    nulls    set of (table,row,col)                 cells whose printed text is a marker → truth null
    labels   {row_key: str}                         overrides of requests row labels (typos …)
    intro, sections {1: [...], 5: [...], 6: [...]}  narrative paragraphs
    narrative [(sentence, [(table,row,col,value), …])]  sentences that restate figures
    expected_findings [...]

`truth()` turns a spec plus the rendered PDF's page texts into the ground-truth JSON.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schemas.vocabulary import (  # noqa: E402
    APPLICANT_COLUMNS,
    OTHER_SPLIT_ROWS,
    REQUESTS_COLUMNS,
    REQUESTS_ROWS_2021,
    RESULT_ROWS_2021,
    REVIEW_GROUPS,
    REVIEWS_COLUMNS,
    requests_rows,
)

RESULTS = ("upheld", "corrected", "other", "pending")


# ------------------------------------------------------------------ numbers
def make_values(rng: random.Random, scale: str = "small") -> dict:
    """Three tables whose relations all hold. scale: zero | small | medium | large."""
    active = {
        "regulations": {"issued": 0, "repealed": 0, "in_force": 0},
        "normative_documents": {},
        "licensing": {}, "punishment": {}, "enforcement": {}, "fees": {},
    }
    big = {"zero": 0, "small": 1, "medium": 3, "large": 12}[scale]
    nd_in_force = rng.randint(0, 6 * max(big, 1))
    nd_issued = rng.randint(0, min(nd_in_force, 2 + big))
    active["normative_documents"] = {"issued": nd_issued, "repealed": rng.randint(0, 2), "in_force": nd_in_force}
    if scale == "large":
        active["regulations"] = {"issued": rng.randint(0, 2), "repealed": 0, "in_force": rng.randint(3, 9)}
    active["licensing"] = {"decisions": rng.randint(0, 60) * big}
    active["punishment"] = {"decisions": rng.randint(0, 40) * big + rng.randint(0, 4)}
    active["enforcement"] = {"decisions": rng.randint(0, 5) * big}
    active["fees"] = {"amount": 0.0 if scale in ("zero", "small") else round(rng.randint(0, 9000) / 100, 2)}

    # requests: per applicant column, draw results, carried_forward, carried_over; new closes the balance
    weights = {"natural_person": 1.0, "commercial": 0.35, "research": 0.03, "public_interest": 0.08,
               "legal_service": 0.15, "other_org": 0.1}
    common = ("granted", "partly_granted", "unavailable_not_held", "rejected_petition", "denied_process",
              "unavailable_unclear", "other_other", "rejected_duplicate", "denied_third_party", "other_no_correction")
    req = {row: {} for row, _, _ in REQUESTS_ROWS_2021}
    n_base = {"zero": 0, "small": 6, "medium": 25, "large": 160}[scale]
    for col in APPLICANT_COLUMNS:
        n = int(round(n_base * weights[col] * rng.uniform(0.4, 1.3)))
        counts = dict.fromkeys(RESULT_ROWS_2021, 0)
        for _ in range(n):
            if rng.random() < 0.8:
                row = rng.choice(common[: 4 + rng.randint(0, 6)])
            else:
                row = rng.choice(RESULT_ROWS_2021)
            counts[row] += 1
        processed = sum(counts.values())
        cf = rng.randint(0, max(0, n // 8)) if n else 0
        co = rng.randint(0, max(0, (processed + cf) // 6)) if n else 0
        for row, v in counts.items():
            req[row][col] = v
        req["total_processed"][col] = processed
        req["carried_forward"][col] = cf
        req["carried_over"][col] = co
        req["new"][col] = processed + cf - co
    for row in req:
        req[row]["total"] = sum(req[row][c] for c in APPLICANT_COLUMNS)

    rev = {}
    for group in REVIEW_GROUPS:
        for res in RESULTS:
            if scale == "zero":
                v = 0
            else:
                v = rng.choice([0, 0, 0, 1, 2, 3]) * (1 if group == "review" else rng.randint(0, 1)) * max(1, big // 3)
            rev[f"{group}_{res}"] = v
        rev[f"{group}_total"] = sum(rev[f"{group}_{r}"] for r in RESULTS)
    reviews = {"all": {k: rev[k] for k in REVIEWS_COLUMNS}}
    return {"active": active, "requests": req, "reviews": reviews}


def combine_other(values: dict) -> None:
    """Replace the three other_* rows by other_combined (their sum), in place."""
    req = values["requests"]
    req["other_combined"] = {c: sum(req[r][c] for r in OTHER_SPLIT_ROWS) for c in REQUESTS_COLUMNS}
    for r in OTHER_SPLIT_ROWS:
        del req[r]


# ------------------------------------------------------------------ printing
def fmt_value(v) -> str:
    if isinstance(v, float):
        return f"{v:.2f}" if v != int(v) else (f"{v:.2f}" if v else "0")
    return str(v)


def cell_text(spec: dict, table: str, row: str, col: str) -> str:
    key = (table, row, col)
    if key in spec.get("printed", {}):
        return spec["printed"][key]
    return fmt_value(spec["values"][table][row][col])


def request_rows(spec: dict):
    """(key, group, item) in printed order, with label overrides applied to the item/group."""
    rows = requests_rows("2021", spec.get("combined_other", False))
    labels = spec.get("labels", {})
    return [(k, g, labels.get(k, i)) for k, g, i in rows]


# ------------------------------------------------------------------ narrative
UNITS = {"乡": "乡", "镇": "镇", "街道": "街道办事处", "县": "县", "区": "区", "局": "局"}


def narrative(spec: dict, rng: random.Random) -> None:
    """Fill spec['intro'], spec['sections'] and spec['narrative'] from the values."""
    v = spec["values"]
    year, issuer, short = spec["year"], spec["issuer"], spec["short"]
    req = v["requests"]
    new_t = req["new"]["total"]
    co_t = req["carried_over"]["total"]
    tp_t = req["total_processed"]["total"]
    cf_t = req["carried_forward"]["total"]
    rev = v["reviews"]["all"]
    r_total = rev["review_total"]
    s_total = rev["suit_direct_total"] + rev["suit_after_review_total"]
    pun = v["active"]["punishment"]["decisions"]
    lic = v["active"]["licensing"]["decisions"]
    nd = v["active"]["normative_documents"]["issued"]
    stated_new = spec.get("narrative_new_override", new_t)

    spec["intro"] = (
        f"根据《中华人民共和国政府信息公开条例》（以下简称《条例》）和《国务院办公厅政府信息与政务公开办公室关于印发"
        f"〈中华人民共和国政府信息公开工作年度报告格式〉的通知》（国办公开办函〔2021〕30号）要求，现发布{issuer}{year}年"
        f"政府信息公开工作年度报告。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
        f"本报告电子版可在{spec['site']}查阅或下载。如对本报告有疑问，请与{short}党政办公室联系。"
    )
    sents = []
    s_active = (f"全年制发行政规范性文件{nd}件，作出行政处罚决定{pun}件，办理行政许可{lic}件。")
    sents.append((s_active, [("active", "normative_documents", "issued", nd), ("active", "punishment", "decisions", pun),
                             ("active", "licensing", "decisions", lic)]))
    p1 = (f"（一）主动公开情况。{year}年，{short}坚持以公开为常态、不公开为例外，通过政府网站、政务新媒体、公开栏等渠道"
          f"主动公开各类政府信息{rng.randint(60, 900)}条。" + s_active +
          "重点围绕乡村振兴、民生保障、财政预决算等领域加大公开力度。")
    if new_t == 0 and stated_new == 0:
        s_req = f"{year}年，{short}未收到政府信息公开申请。"
        figs = [("requests", "new", "total", 0)]
    else:
        s_req = (f"{year}年，{short}共收到政府信息公开申请{stated_new}件，上年结转{co_t}件，"
                 f"办结{tp_t}件，结转下年度继续办理{cf_t}件。")
        figs = [("requests", "new", "total", stated_new), ("requests", "carried_over", "total", co_t),
                ("requests", "total_processed", "total", tp_t), ("requests", "carried_forward", "total", cf_t)]
    sents.append((s_req, figs))
    p2 = "（二）依申请公开情况。" + s_req + "所有申请均在法定期限内答复，答复格式规范、依据充分。"
    if r_total == 0 and s_total == 0:
        s_rev = "全年未发生因政府信息公开引发的行政复议、行政诉讼。"
        figs = [("reviews", "all", "review_total", 0)]
    else:
        s_rev = f"全年因政府信息公开被申请行政复议{r_total}件，被提起行政诉讼{s_total}件。"
        figs = [("reviews", "all", "review_total", r_total)]
    sents.append((s_rev, figs))
    p2 += s_rev
    p3 = ("（三）政府信息管理情况。严格落实“先审查、后公开”和“一事一审”制度，"
          "对拟公开信息进行保密审查，全年未发生泄密情况。")
    p4 = ("（四）平台建设情况。持续优化政府网站信息公开专栏，规范政务新媒体管理，"
          "在便民服务中心设置政府信息公开查阅点，方便群众查询。")
    p5 = ("（五）监督保障情况。将政务公开工作纳入年度考核，组织开展业务培训"
          f"{rng.randint(1, 4)}次，主动接受社会监督。")
    fee = spec.get("processing_fee", 0)
    if fee:
        s_fee = f"（二）{year}年，{short}收取信息处理费{fee}元。"
    else:
        s_fee = f"（二）{year}年，{short}未收取信息处理费。"
    spec["sections"] = {
        1: [p1, p2, p3, p4, p5],
        5: ["（一）存在的主要问题。一是政策解读形式较为单一，图解、视频等解读方式运用不够；"
            "二是基层工作人员业务能力有待提升；三是公开内容的及时性还需加强。",
            "（二）改进措施。一是丰富政策解读形式，提高解读质量；二是加强业务培训，提升工作人员业务水平；"
            "三是健全信息发布审核机制，确保信息公开及时、准确、规范。"],
        6: [f"（一）{year}年度政务公开工作要点落实情况。{short}按照上级要求，逐项落实年度政务公开工作要点，"
            "推进基层政务公开标准化规范化建设。", s_fee],
    }
    spec["narrative"] = sents


def set_defaults(spec: dict) -> dict:
    spec.setdefault("printed", {})
    spec.setdefault("nulls", set())
    spec.setdefault("labels", {})
    spec.setdefault("expected_findings", [])
    spec.setdefault("combined_other", False)
    spec.setdefault("site", f"{spec['issuer']}门户网站")
    return spec


# ------------------------------------------------------------------ truth
def _norm(s: str) -> str:
    import unicodedata
    s = unicodedata.normalize("NFKC", s)
    return "".join(ch for ch in s if not ch.isspace())


def find_page(sentence: str, pages: list[str]) -> int | None:
    target = _norm(sentence)
    for i, text in enumerate(pages, 1):
        if target in _norm(text):
            return i
    # sentence broken over a page boundary: take the page where it starts
    joined = ""
    for i, text in enumerate(pages, 1):
        joined += _norm(text)
        if target in joined:
            return i - 1 if i > 1 else i
    return None


def truth(spec: dict, pages: list[str]) -> dict:
    tables = {}
    for table, rows in spec["values"].items():
        tables[table] = {}
        for row, cols in rows.items():
            tables[table][row] = {}
            for col, val in cols.items():
                tables[table][row][col] = None if (table, row, col) in spec["nulls"] else val
    narr = []
    for sentence, figs in spec.get("narrative", []):
        narr.append({"sentence": sentence, "page": find_page(sentence, pages),
                     "figures": [{"table": t, "row": r, "column": c, "value": val} for t, r, c, val in figs]})
    return {
        "file": f"{spec['name']}.pdf",
        "issuer": spec["issuer"],
        "year": spec["year"],
        "template": "2021",
        "layout": spec["layout"],
        "notes": spec["notes"],
        "pages": len(pages),
        "tables": tables,
        "expected_findings": spec["expected_findings"],
        "narrative": narr,
    }


def rebalance(values: dict) -> None:
    """Recompute every derived cell (totals, total_processed, new) so all relations hold again."""
    req = values["requests"]
    results = [r for r in RESULT_ROWS_2021 if r in req] + (["other_combined"] if "other_combined" in req else [])
    for c in APPLICANT_COLUMNS:
        req["total_processed"][c] = sum(req[r][c] for r in results)
        req["new"][c] = req["total_processed"][c] + req["carried_forward"][c] - req["carried_over"][c]
        assert req["new"][c] >= 0
    for row in req.values():
        row["total"] = sum(row[c] for c in APPLICANT_COLUMNS)
    rev = values["reviews"]["all"]
    for g in REVIEW_GROUPS:
        rev[f"{g}_total"] = sum(rev[f"{g}_{r}"] for r in RESULTS)
