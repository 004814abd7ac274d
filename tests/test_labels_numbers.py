"""The label matcher on real label variants, and the number reader."""

from __future__ import annotations

import pytest

from extractor.labels import best_match, fold
from extractor.mapping import match_request_row
from extractor.numbers import read_number
from schemas.vocabulary import REQUESTS_COLUMNS


@pytest.mark.parametrize("printed, key", [
    ("一、本年新收政府信息公开申请数量", "new"),
    ("⼀、本年新收政府信息公开申请数量", "new"),  # Kangxi radical U+2F00
    ("一、本年\n新收政府信\n息公开申请数量", "new"),  # line breaks inside the label
    ("二、上年结转政府信息公开申请数量", "carried_over"),
    ("（二）部分公开（区分处理的，只计这一情 形，不", "partly_granted"),  # cut short
    ("2.其他法律行政止公开", "denied_prohibited"),  # typo from the real 洪泽 report
    ("3.危及“三安全⼀稳定”", "denied_security"),
    ("1.本机关不掌握相关政府信息", "unavailable_not_held"),
    ("5.要求行政机关确认或重 新出具", "rejected_confirmation"),
    ("1.申请人无正当理由逾期不补正、行政机 关不再处理其政府信息公开申请", "other_no_correction"),
    ("3.其他", "other_other"),
    ("（六）其他处理", "other_combined"),
    ("（七）总计", "total_processed"),
    ("四、结转下年度继续办理", "carried_forward"),
])
def test_request_row_labels(printed, key):
    assert match_request_row([printed])[0] == key


def test_row_label_uses_leaf_not_group_fragments():
    # group cell fragments like the seed's stray "5年" do not pull the leaf away
    assert match_request_row(["理结果 5年", "（三）不予公开", "1.属于国家秘密"])[0] == "denied_state_secret"


def test_unrelated_text_matches_nothing():
    assert match_request_row(["全乡共发布各类信息701余条"])[0] is None


@pytest.mark.parametrize("printed, key", [("自然人", "natural_person"), ("商业\n企业", "commercial"),
                                          ("社会\n公益\n组织", "public_interest"), ("其他", "other_org"),
                                          ("总 计", "total"), ("科研机构", "research")])
def test_request_columns(printed, key):
    assert best_match(printed, REQUESTS_COLUMNS, threshold=0.7)[0] == key


def test_fold_normalises_kangxi_and_fullwidth():
    assert fold("⼀、本年（⼆）") == fold("一、本年(二)") == "一本年二"
    assert fold("１２３") == "123"


@pytest.mark.parametrize("raw, value, kind", [
    ("0", 0, "number"), ("12", 12, "number"), ("１２", 12, "number"), ("1,234", 1234, "number"),
    ("1，234", 1234, "number"), ("7730.28", 7730.28, "number"), (" 4 ", 4, "number"), ("\u00a05\u00a0", 5, "number"),
    ("", None, "blank"), ("  ", None, "blank"), (None, None, "blank"), ("—", None, "dash"), ("-", None, "dash"),
    ("－", None, "dash"), ("/", None, "slash"), ("无", None, "none"), ("5年", None, "unreadable"),
    ("公田", None, "unreadable"), ("-3", -3, "number"),
])
def test_read_number(raw, value, kind):
    assert read_number(raw) == (value, kind)


def test_signed_reader_for_2019_change_column():
    assert read_number("+14", signed=True) == (14, "number")
    assert read_number("减4", signed=True) == (-4, "number")
    assert read_number("增5", signed=True) == (5, "number")
