"""Samples for the supervision rules (schemas/supervision.py) → samples/supervision/.

Each sample is internally consistent (its `expected_findings`, the per-report arithmetic and
narrative findings, is empty); what it exercises is listed under `expected_supervision_findings`
(rule, file, and the part, date, cells or passage concerned). Kept in a folder of their own, apart
from the PDF corpus whose truth tests expect every sample complete and timely.

  sup-no-section5-shijian-2023.pdf          no part 五 (one completeness.section_missing); 四 printed as
                                            四、因政府信息公开工作被申请行政复议、提起行政诉讼情况
  sup-no-fee-weijian-2023.pdf               part 六 without a word on 信息处理费 (table 二 has a fee row with
                                            money: never compared)
  sup-late-minzheng-2023.pdf                a department's report signed 2024年3月5日: late (deadline 1月31日)
  sup-timely-shuili-2023.pdf                a department's report signed 2024年1月26日: control
  sup-late-web-linchuan-2023.shtml          a county government's page, 发布时间 2024-04-08: late (3月31日)
  sup-late-docx-shenji-2023.docx            a department's DOCX signed 二〇二四年二月六日: late
  sup-copied-jiaoyu-2022/2023.pdf           consecutive years, the same narrative: history.copied_text
  sup-fresh-nongye-2022/2023.pdf            consecutive years, the narrative rewritten: control
  sup-repeated-linye-2022/2023.pdf          consecutive years, every number the same: history.repeated_tables
  sup-twice-tongji-2023-v1/v2.pdf           one report published twice, active/enforcement/decisions changed:
                                            history.changed_after_publication on each file
  sup-clean-kangxi-huanbao-2023.pdf         control: headings in Kangxi radicals and full-width 、, 五 as
                                            五、政府信息公开工作存在的主要问题及改进情况
  sup-clean-variants-docx-gongan-2023.docx  control: DOCX, heading variants of 四 and 五, fee statement 无…信息处理费

Called from generate.py: `make_supervision.main(wanted, base, finish)`; rendered with make_pdf's
composer (reportlab), python-docx and plain HTML: no LibreOffice needed.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path

from samples import make_pdf as mp
from samples import relations
from samples.data import rebalance
from samples.make_web import HEADINGS  # the template's six part headings
from schemas.vocabulary import APPLICANT_COLUMNS

HERE = Path(__file__).resolve().parent
OUT = HERE / "supervision"
H4_VARIANT = "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况"
H5_VARIANT = "五、政府信息公开工作存在的主要问题及改进情况"


# ------------------------------------------------------------------ narrative rewritten (a year that is not copied)
def rewrite(spec: dict, rng: random.Random) -> None:
    """Sections 一, 五, 六 in other words than data.narrative's: a report that is not copied from last year."""
    v = spec["values"]
    year, short = spec["year"], spec["short"]
    req = v["requests"]
    spec["sections"] = {
        1: [f"{year}年，{short}把政务公开作为转变作风、提升效能的抓手，班子成员分工负责，办公室具体承办，"
            f"各股室明确信息员{rng.randint(3, 9)}名。",
            f"全年围绕项目审批、资金分配和执法检查结果发布信息，更新办事指南{rng.randint(5, 30)}项，"
            "在门户网站开设专题专栏，回应群众留言。",
            f"{short}全年新收政府信息公开申请{req['new']['total']}件，办结{req['total_processed']['total']}件，"
            "答复均在法定期限内完成。",
            "信息发布前由分管负责人审核把关，涉及个人隐私的内容一律作去标识化处理，未出现错发漏发。",
            "办公场所设置查阅台，配备电脑和纸质汇编，群众可现场查阅本单位公开文件。"],
        5: ["对照群众期待，本单位的公开工作仍有短板：栏目更新偶有滞后，部分数据开放格式不统一，"
            "政策解读多为文字稿，可读性不强。",
            "下一步将建立栏目更新台账，逐月通报更新情况；统一数据发布模板；"
            "邀请业务骨干以问答、长图等形式开展解读，并加强对新进人员的岗前培训。"],
        6: [f"本年度{short}依申请提供政府信息，均未收取信息处理费。",
            "本单位年度政务公开工作要点所列任务已全部完成，未发现其他需要报告的事项。"],
    }
    spec["narrative"] = []


def _sections_without_fee(spec: dict) -> None:
    spec["sections"][6] = [f"（一）{spec['year']}年度政务公开工作要点落实情况。{spec['short']}按照上级要求，"
                           "逐项落实年度政务公开工作要点，推进基层政务公开标准化规范化建设。",
                           "（二）本年度无其他需要报告的事项。"]


def _carry(prior: dict, spec: dict) -> None:
    """spec's carried_over = prior's carried_forward (history.carry_over holds), rebalanced."""
    from samples.make_history import _carry as carry
    carry(prior, spec)


# ------------------------------------------------------------------ renderers
def render_pdf(spec: dict, out: Path) -> None:
    """make_pdf's composer with the headings of spec['headings'] (None: the part is left out)."""
    heads = {**HEADINGS, **spec.get("headings", {})}
    L = mp.kangxi if spec.get("kangxi_headings") else (lambda s: s)
    title = f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告"
    comp = mp.Composer(str(out), title)
    comp.text(title, size=16, indent=False, align="c", lead=1.6)
    comp.y -= 10
    comp.text(spec["intro"])
    tables = {2: mp.active_table(spec, lambda s: s), 3: mp.requests_table(spec, lambda s: s),
              4: mp.reviews_table(spec, lambda s: s)}
    for n in range(1, 7):
        comp.need(60)
        if n in tables:
            h = sum(comp._row_heights(tables[n])) + 40
            if h < mp.H - mp.TM - mp.BM:
                comp.need(h)
        if heads[n] is None:
            continue
        comp.text(L(heads[n]), size=13, lead=2.0, space=4)
        for p in spec["sections"].get(n, []):
            comp.text(p)
        if n in tables:
            comp.y -= 6
            comp.table(tables[n], keep_together=True)
    comp.y -= 20
    comp.text(spec["issuer"], indent=False, align="r")
    comp.text(spec["date"], indent=False, align="r")
    comp.save()


def render_html(spec: dict, out: Path) -> None:
    """A government site page in UTF-8 with a 发布时间 line above the report."""
    from samples.make_web import _esc, table_html, tables_of

    rng = random.Random(spec["seed"] + 9)
    heads = {**HEADINGS, **spec.get("headings", {})}
    title = f"{spec['issuer']}{spec['year']}年政府信息公开工作年度报告"
    p = lambda text: f'<p style="text-indent: 2em;">{_esc(text)}</p>'  # noqa: E731
    tables = tables_of(spec)
    body = [f"<h1>{_esc(title)}</h1>",
            f'<div class="info">发布时间：{spec["published"]}　来源：{_esc(spec["issuer"])}</div>',
            '<div class="TRS_Editor">', p(spec["intro"])]
    for n in range(1, 7):
        if heads[n] is None:
            continue
        body.append(f"<p><strong>{_esc(heads[n])}</strong></p>")
        body += [p(x) for x in spec["sections"].get(n, [])]
        if n in tables:
            body.append(table_html(tables[n], "site", rng))
    body += [f'<p style="text-align: right;">{_esc(spec["issuer"])}</p>',
             f'<p style="text-align: right;">{_esc(spec["date"])}</p>', "</div>"]
    out.write_text("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
                   f"<title>{_esc(title)}</title></head><body>{''.join(body)}</body></html>\n", encoding="utf-8")


def render_docx(spec: dict, out: Path) -> None:
    """A DOCX built with python-docx (tables as merged cells), the signature and its date at the end."""
    import datetime

    from samples.make_web import render_model_docx

    render_model_docx({**spec, "created": datetime.datetime(2024, 1, 1)}, out)


RENDER = {"pdf": (render_pdf, ".pdf"), "html": (render_html, ".shtml"), "docx": (render_docx, ".docx")}


# ------------------------------------------------------------------ specs
def specs(base, finish) -> list[dict]:
    """Every sample: a generator spec plus fmt, date, and its expected supervision findings."""
    out = []

    def mk(name, issuer, short, year, seed, notes, fmt="pdf", date=None, scale="small", **kw):
        s = base(name, issuer, short, year, f"supervision-{fmt}", seed, scale, notes)
        s = finish(s)
        s.update(fmt=fmt, date=date or f"{year + 1}年1月{15 + year % 7}日", expect=[], **kw)
        return s

    ext = lambda s: s["name"] + RENDER[s["fmt"]][1]  # noqa: E731

    s = mk("sup-no-section5-shijian-2023", "长宁县市场监督管理局", "县市场监督管理局", 2023, 701,
           "Part 五 left out (heading and text); 四 printed as the variant heading "
           "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况. One completeness.section_missing (part 5).",
           headings={4: H4_VARIANT, 5: None})
    s["expect"] = [{"rule": "completeness.section_missing", "section": 5, "title": HEADINGS[5]}]
    out.append(s)

    s = mk("sup-no-fee-weijian-2023", "长宁县卫生健康委员会", "县卫生健康委员会", 2023, 702,
           "Part 六 says nothing about 信息处理费 (二) 本年度无其他需要报告的事项); table 二's 行政事业性收费 row "
           "holds money, which the rule never looks at. One completeness.fee_statement_missing.", scale="medium")
    _sections_without_fee(s)
    assert s["values"]["active"]["fees"]["amount"] > 0
    s["expect"] = [{"rule": "completeness.fee_statement_missing", "section": 6}]
    out.append(s)

    s = mk("sup-late-minzheng-2023", "长宁县民政局", "县民政局", 2023, 703,
           "A department's report signed 2024年3月5日 on its last page: 34 days after 1月31日. One timeliness.late "
           "(date from the signature).", date="2024年3月5日")
    s["expect"] = [{"rule": "timeliness.late", "date": "2024-03-05", "deadline": "2024-01-31", "days": 34,
                    "source": "signature"}]
    out.append(s)

    s = mk("sup-timely-shuili-2023", "长宁县水利局", "县水利局", 2023, 704,
           "Control: a department's report signed 2024年1月26日, before 1月31日. No supervision finding.",
           date="2024年1月26日")
    out.append(s)

    s = mk("sup-late-web-linchuan-2023", "临川县人民政府", "临川县", 2023, 705,
           "A county government's own report as a site page, 发布时间：2024-04-08 (signature 2024年3月25日): "
           "8 days after 3月31日. One timeliness.late (date from the page's 发布时间).",
           fmt="html", date="2024年3月25日", published="2024-04-08")
    s["expect"] = [{"rule": "timeliness.late", "date": "2024-04-08", "deadline": "2024-03-31", "days": 8,
                    "source": "page"}]
    out.append(s)

    s = mk("sup-late-docx-shenji-2023", "青川市临海区审计局", "区审计局", 2023, 706,
           "A department's DOCX signed 二〇二四年二月六日 (Chinese numerals): 6 days late. One timeliness.late.",
           fmt="docx", date="二〇二四年二月六日")
    s["expect"] = [{"rule": "timeliness.late", "date": "2024-02-06", "deadline": "2024-01-31", "days": 6,
                    "source": "signature"}]
    out.append(s)

    # copied pair: data.narrative's text in both years (figures and years differ)
    a = mk("sup-copied-jiaoyu-2022", "临川县教育局", "县教育局", 2022, 707, "Copied pair, year 1.", scale="medium")
    b = mk("sup-copied-jiaoyu-2023", "临川县教育局", "县教育局", 2023, 708,
           "Copied pair, year 2: parts 一, 五 and 六 are 2022's text with this year's figures. One "
           "history.copied_text (share ≥ 50%, longest passage quoted).", scale="medium")
    _carry(a, b)
    finish(b)
    b["expect"] = [{"rule": "history.copied_text", "prior": ext(a), "min_share": 90,
                    "passage": "坚持以公开为常态、不公开为例外"}]
    out += [a, b]

    # fresh pair: year 2 rewritten
    a = mk("sup-fresh-nongye-2022", "临川县农业农村局", "县农业农村局", 2022, 709, "Not-copied pair, year 1.",
           scale="medium")
    b = mk("sup-fresh-nongye-2023", "临川县农业农村局", "县农业农村局", 2023, 710,
           "Control pair, year 2: parts 一, 五, 六 rewritten in other words. No history.copied_text.",
           scale="medium")
    _carry(a, b)
    rewrite(b, random.Random(710))
    out += [a, b]

    # repeated tables: 2023 prints 2022's numbers; the narrative is rewritten (so only the tables repeat)
    a = mk("sup-repeated-linye-2022", "临川县林业局", "县林业局", 2022, 711, "Repeated-tables pair, year 1.",
           scale="medium")
    r = a["values"]["requests"]
    for c in APPLICANT_COLUMNS:  # carried_over = carried_forward: the repeat also passes history.carry_over
        r["carried_over"][c] = r["carried_forward"][c]
    rebalance(a["values"])
    finish(a)
    b = mk("sup-repeated-linye-2023", "临川县林业局", "县林业局", 2023, 712,
           "Year 2: every number of the three tables equal to 2022's; narrative rewritten. One "
           "history.repeated_tables.", scale="medium")
    b["values"] = copy.deepcopy(a["values"])
    rewrite(b, random.Random(712))
    b["expect"] = [{"rule": "history.repeated_tables", "prior": ext(a)}]
    out += [a, b]

    # published twice: one cell changed
    a = mk("sup-twice-tongji-2023-v1", "临川县统计局", "县统计局", 2023, 713,
           "Published twice, first file.", scale="medium")
    b = copy.deepcopy(a)
    b["name"] = "sup-twice-tongji-2023-v2"
    b["notes"] = "Published twice, second file: active/enforcement/decisions changed, all else the same."
    b["values"]["active"]["enforcement"]["decisions"] += 3
    old, new = a["values"]["active"]["enforcement"]["decisions"], b["values"]["active"]["enforcement"]["decisions"]
    cell = {"table": "active", "row": "enforcement", "column": "decisions"}
    a["expect"] = [{"rule": "history.changed_after_publication", "other": ext(b), "cells": [cell],
                    "values": [old, new]}]
    b["expect"] = [{"rule": "history.changed_after_publication", "other": ext(a), "cells": [cell],
                    "values": [new, old]}]
    a["notes"] += f" active/enforcement/decisions = {old} here, {new} in the second file."
    out += [a, b]

    s = mk("sup-clean-kangxi-huanbao-2023", "长宁县生态环境局", "县生态环境局", 2023, 714,
           "Control: every heading printed with Kangxi-radical code points and full-width forms; 五 as "
           "五、政府信息公开工作存在的主要问题及改进情况. No supervision finding.",
           headings={5: H5_VARIANT}, kangxi_headings=True)
    out.append(s)

    s = mk("sup-clean-variants-docx-gongan-2023", "长宁县公安局", "县公安局", 2023, 715,
           "Control DOCX: heading variants of 四 and 五; fee statement in part 六; signed 2024年1月18日.",
           fmt="docx", date="2024年1月18日", headings={4: H4_VARIANT, 5: H5_VARIANT})
    out.append(s)
    return out


def truth(spec: dict) -> dict:
    tables = {t: {r: dict(cols) for r, cols in rows.items()} for t, rows in spec["values"].items()}
    fname = spec["name"] + RENDER[spec["fmt"]][1]
    expect = [{"file": fname, **e} for e in spec["expect"]]
    return {"file": fname, "issuer": spec["issuer"], "year": spec["year"], "template": "2021", "format": spec["fmt"],
            "layout": spec["layout"], "notes": spec["notes"], "date": spec["date"],
            "published": spec.get("published"), "tables": tables, "expected_findings": [],
            "expected_supervision_findings": expect}


def main(wanted: list[str], base, finish) -> None:
    """Render the samples (those whose name contains a wanted word, or all) and write their truth."""
    OUT.mkdir(exist_ok=True)
    for spec in specs(base, finish):
        if wanted and not any(w in spec["name"] for w in wanted):
            continue
        render, suffix = RENDER[spec["fmt"]]
        path = OUT / f"{spec['name']}{suffix}"
        render(spec, path)
        t = truth(spec)
        assert relations.failures(t["tables"]) == [], spec["name"]
        (OUT / f"{spec['name']}.json").write_text(json.dumps(t, ensure_ascii=False, indent=1) + "\n",
                                                  encoding="utf-8")
        print(f"{path.name:46s} {spec['fmt']:5s} supervision={len(t['expected_supervision_findings'])}")
