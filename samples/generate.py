"""Write the sample corpus: samples/<name>.pdf + samples/<name>.json (ground truth).

    .venv/bin/python samples/generate.py            # everything
    .venv/bin/python samples/generate.py seed kangxi  # only samples whose name contains one of the words

Deterministic: every sample has its own fixed seed. Renderers live in sibling modules
(make_docx.py: Word template → LibreOffice; make_pdf.py: reportlab page composer); a new
format is a new make_<format>.py with a `render(spec, out_pdf)` function, registered in RENDERERS.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from samples import relations  # noqa: E402
from samples.data import combine_other, make_values, narrative, set_defaults, truth  # noqa: E402

SEED_TXT = HERE.parent.parent / "shared" / "spec" / "seed-report-baima-2023.txt"  # ../shared beside the checkout


def _renderer(layout: str):
    if layout in ("word-ruled", "seed"):
        from samples import make_docx
        return make_docx.render
    from samples import make_pdf
    return make_pdf.render


# ------------------------------------------------------------------ sample specs
def base(name, issuer, short, year, layout, seed, scale, notes, **kw) -> dict:
    rng = random.Random(seed)
    spec = dict(name=name, issuer=issuer, short=short, year=year, layout=layout, notes=notes, seed=seed, **kw)
    spec["values"] = make_values(rng, scale)
    if spec.get("combined_other"):
        combine_other(spec["values"])
    set_defaults(spec)
    return spec


def finish(spec: dict) -> dict:
    narrative(spec, random.Random(spec["seed"] + 1))
    return spec


def seed_spec() -> dict:
    spec = base("seed-baima-2023", "中宁县白马乡", "白马乡", 2023, "seed", 1, "zero",
                "Reproduction of the seed report 中宁县白马乡 2023 (shared/spec/seed-report-baima-2023.txt): its "
                "narrative text; every number 0 except active/punishment/decisions = 4. Template docx printed with "
                "LibreOffice; reviews header garbled as in the seed's text layer (公田 公田 甘仙 in place of "
                "结果维持/结果纠正/其他结果) and the stray fragment 5年 under 三、本年度办理结果.")
    v = spec["values"]
    for row in v["active"].values():
        for c in row:
            row[c] = 0
    v["active"]["fees"]["amount"] = 0
    v["active"]["punishment"]["decisions"] = 4
    spec["printed"][("active", "fees", "amount")] = "0"
    # narrative from the seed text
    text = SEED_TXT.read_text(encoding="utf-8")
    paras = [re.sub(r"^- ", "", p.strip()) for p in re.split(r"\n\s*\n", text) if p.strip()]
    # join paragraphs broken at page ends (a paragraph not ending in 。 continues in the next one)
    joined = []
    for p in paras:
        if joined and not re.search(r"[。：:]$", joined[-1]) and not re.match(r"^[一二三四五六]、", p) \
                and not joined[-1].startswith(("一、", "二、", "三、", "四、", "五、", "六、")):
            joined[-1] += p
        else:
            joined.append(p)
    heads = [i for i, p in enumerate(joined) if re.match(r"^[一二三四五六]、", p)]
    sec = {n + 1: joined[heads[n] + 1: heads[n + 1] if n + 1 < len(heads) else None] for n in range(6)}
    spec["intro"] = joined[1]
    spec["sections"] = {1: sec[1], 5: sec[5], 6: [p.replace("- ", "") for p in sec[6] if "\t" not in p]}
    spec["sections"] = {k: [re.sub(r"\s*\n\s*", "", p) for p in ps] for k, ps in spec["sections"].items()}
    s_req = next(s for s in re.split(r"(?<=。)", "".join(sec[1])) if "未收到" in s)
    s_req = re.sub(r"^（二）依申请公开情况。", "", s_req.strip())
    s_fee = "（二）2023年白马乡无收取信息处理费情况。"
    s_pun = None
    spec["narrative"] = [
        (s_req, [("requests", "new", "total", 0), ("reviews", "all", "review_total", 0)]),
        (s_fee, []),
    ]
    del s_pun
    spec["date"] = "2024年1月20日"
    spec["seed_garble"] = True
    return spec


ERROR_BASE = dict(issuer="某某市东湖区发展和改革局", short="区发展和改革局", year=2023, layout="word-ruled", seed=500,
                  scale="medium")


def error_specs() -> list[dict]:
    out = []

    def mk(name, issuer, short, notes, seed):
        s = base(name, issuer, short, 2023, "word-ruled", seed, "medium", notes)
        return s

    # 1. requests.row_total: granted/total and partly_granted/total transposed by 2 (sum of the column unchanged)
    s = mk("error-requests-row_total", "青川市东湖区发展和改革局", "区发展和改革局",
           "Deliberately wrong: requests/granted/total printed 2 too high and requests/partly_granted/total 2 too "
           "low (the total column still sums and balances). Exactly two requests.row_total failures.", 501)
    r = s["values"]["requests"]
    if r["partly_granted"]["total"] < 2:
        r["partly_granted"]["natural_person"] += 2
        r["partly_granted"]["total"] += 2
        r["granted"]["natural_person"] -= 2 if r["granted"]["natural_person"] >= 2 else 0
        _rebalance(s)
    r["granted"]["total"] += 2
    r["partly_granted"]["total"] -= 2
    out.append(s)

    # 2. requests.column_total: granted/natural_person and granted/total both +1
    s = mk("error-requests-column_total", "青川市南岭区市场监督管理局", "区市场监督管理局",
           "Deliberately wrong: requests/granted/natural_person and requests/granted/total both printed 1 too "
           "high (row still adds up). total_processed no longer equals the result rows in columns natural_person "
           "and total: two requests.column_total failures.", 502)
    r = s["values"]["requests"]
    r["granted"]["natural_person"] += 1
    r["granted"]["total"] += 1
    out.append(s)

    # 3. requests.balance: carried_over/natural_person and carried_over/total both +1
    s = mk("error-requests-balance", "青川市北塘区人力资源和社会保障局", "区人力资源和社会保障局",
           "Deliberately wrong: requests/carried_over/natural_person and requests/carried_over/total both printed "
           "1 too high (row still adds up). new + carried_over ≠ total_processed + carried_forward in columns "
           "natural_person and total: two requests.balance failures (row null; expected = new + carried_over, "
           "found = total_processed + carried_forward).", 503)
    r = s["values"]["requests"]
    r["carried_over"]["natural_person"] += 1
    r["carried_over"]["total"] += 1
    out.append(s)

    # 4. one wrong cell, two rules: new/total typo
    s = mk("error-requests-new_total", "青川市西山区住房和城乡建设局", "区住房和城乡建设局",
           "Deliberately wrong: a single cell, requests/new/total, printed 3 too high. It breaks requests.row_total "
           "on row new and requests.balance on column total; the root is the one cell new/total.", 504)
    s["values"]["requests"]["new"]["total"] += 3
    out.append(s)

    # 5-7. reviews totals
    for i, (rule, group, issuer, short) in enumerate([
            ("reviews.review_total", "review", "青川市东湖区人民政府", "东湖区"),
            ("reviews.suit_direct_total", "suit_direct", "青川市南岭区人民政府", "南岭区"),
            ("reviews.suit_after_review_total", "suit_after_review", "青川市北塘区自然资源局", "区自然资源局")]):
        s = mk(f"error-{rule.replace('.', '-')}", issuer, short,
               f"Deliberately wrong: reviews/all/{group}_total printed 1 too high (the four result columns "
               f"unchanged). Exactly one {rule} failure.", 510 + i)
        rev = s["values"]["reviews"]["all"]
        if rev[f"{group}_upheld"] == 0:
            rev[f"{group}_upheld"] = 2
            rev[f"{group}_total"] = sum(rev[f"{group}_{x}"] for x in relations.RESULTS)
        rev[f"{group}_total"] += 1
        out.append(s)

    # 8. narrative mismatch
    s = mk("error-narrative-mismatch", "青川市西山区教育局", "区教育局",
           "Deliberately wrong narrative: section 一 says 共收到政府信息公开申请N件 with N = requests/new/total + 5; "
           "the tables themselves are consistent.", 520)
    s["narrative_new_override"] = s["values"]["requests"]["new"]["total"] + 5
    out.append(s)
    return out


def _rebalance(spec):
    """Recompute totals/closing rows after editing applicant cells (keeps the table consistent)."""
    from schemas.vocabulary import APPLICANT_COLUMNS, RESULT_ROWS_2021
    r = spec["values"]["requests"]
    for c in APPLICANT_COLUMNS:
        r["total_processed"][c] = sum(r[x][c] for x in RESULT_ROWS_2021)
        r["new"][c] = r["total_processed"][c] + r["carried_forward"][c] - r["carried_over"][c]
    for row in r:
        r[row]["total"] = sum(r[row][c] for c in APPLICANT_COLUMNS)


def all_specs() -> list[dict]:
    specs = []
    specs.append(base("word-ruled-jiangqiao-2023", "临川县江桥镇人民政府", "江桥镇", 2023, "word-ruled", 11, "small",
                      "2021 template docx filled with python-docx, printed by LibreOffice; ruled tables with merged "
                      "label cells."))
    specs.append(base("word-ruled-heping-2022", "安平市和平区人民政府和平街道办事处", "和平街道", 2022, "word-ruled", 12,
                      "medium", "2021 template docx printed by LibreOffice; a street office with more requests."))
    specs.append(base("word-ruled-taiping-2024", "长宁县人民政府", "长宁县", 2024, "word-ruled", 13, "large",
                      "2021 template docx printed by LibreOffice; a county government with large counts and a fee."))
    specs.append(seed_spec())
    specs.extend(error_specs())
    specs.extend(reportlab_specs())
    return [s if s.get("narrative") else finish(s) for s in specs]


def reportlab_specs() -> list[dict]:
    try:
        from samples import make_pdf
    except ImportError:
        return []
    return make_pdf.specs(base)


# ------------------------------------------------------------------ main
def main(argv: list[str]) -> int:
    import pdfplumber

    wanted = argv[1:]
    for spec in all_specs():
        if wanted and not any(w in spec["name"] for w in wanted):
            continue
        pdf = HERE / f"{spec['name']}.pdf"
        _renderer(spec["layout"])(spec, pdf)
        with pdfplumber.open(pdf) as doc:
            pages = [p.extract_text() or "" for p in doc.pages]
        t = truth(spec, pages)
        if spec["layout"] in ("word-ruled", "seed"):
            import unicodedata
            norm = [unicodedata.normalize("NFKC", x) for x in pages]
            a = next(i for i, x in enumerate(norm, 1) if "新收政府信息公开申请数量" in x)
            b = next(i for i, x in enumerate(norm, 1) if "四、结转下年度继续办理" in x)
            t["notes"] += (f" The requests table is whole on page {a} (as LibreOffice laid it out)." if a == b else
                           f" LibreOffice broke the requests table across pages {a}-{b} (no repeated header).")
        got = relations.failures(t["tables"])
        want = spec["expected_findings"]
        if not want and spec["name"].startswith("error-") and "narrative" not in spec["name"]:
            want = t["expected_findings"] = got
        if spec.get("narrative_new_override") is not None:
            t["expected_findings"] = [{"rule": "narrative.mismatch", "table": "requests", "row": "new",
                                       "column": "total", "expected": spec["values"]["requests"]["new"]["total"],
                                       "found": spec["narrative_new_override"]}]
            assert not got, got
        else:
            assert got == t["expected_findings"], (spec["name"], got)
        for n in t["narrative"]:
            assert n["page"], (spec["name"], n["sentence"])
        (HERE / f"{spec['name']}.json").write_text(json.dumps(t, ensure_ascii=False, indent=1) + "\n",
                                                   encoding="utf-8")
        size = pdf.stat().st_size
        print(f"{spec['name']:40s} {spec['layout']:20s} {len(pages)}p {size // 1024}KB findings={len(t['expected_findings'])}")
        assert size < 300_000, size
    from samples import make_history  # cross-year samples (history.carry_over)
    make_history.main(wanted, base, finish, _renderer)
    from samples import make_web  # 2019-template PDFs, HTML and DOCX versions → samples/formats/
    make_web.main(wanted)
    from samples import make_chromium  # an HTML sample printed by Chromium → samples/
    make_chromium.main(wanted)
    from samples import make_scans  # image-only / mixed scanned variants of the text samples → samples/scans/
    make_scans.main(wanted)
    from samples import make_supervision  # completeness, timeliness, copied/repeated/changed → samples/supervision/
    make_supervision.main(wanted, base, finish)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
