"""Citations in Chinese legal form (app.rules.citation_zh): every citation constant."""

from __future__ import annotations

import pytest

from app.rules import citations as c
from app.rules import national_citations as n
from app.rules.citation_zh import basis_zh, cite_zh, join_zh, label_zh, number_zh, parse_label
from app.rules.citations import ALL_CITATIONS, Citation
from app.rules.national import LZ_PREAMBLE_MINOR

DZ = "《德州市政务服务信用信息应用办法》"
LZ = "《临淄区建立政务服务“失信制约”制度 打造信用极简审批新模式实施方案（试行）》"
CIVIL = "《中华人民共和国民法典》"
NDRC = "《信用修复管理办法》（国家发展改革委令第36号）"
GB = "《关于进一步完善信用修复制度的实施方案》（国办发〔2025〕22号）"

# Every constant, its Chinese form written out by hand.
EXPECTED: dict[str, str] = {
    "CIVIL_CODE_201": f"{CIVIL}第二百零一条",
    "CIVIL_CODE_202": f"{CIVIL}第二百零二条",
    "CIVIL_CODE_203": f"{CIVIL}第二百零三条",
    "LICENSING_LAW_82": "《中华人民共和国行政许可法》第八十二条",
    "DZ_2_1": f"{DZ}第二条第一款",
    "DZ_2_2": f"{DZ}第二条第二款",
    "DZ_5": f"{DZ}第五条",
    "DZ_6_1": f"{DZ}第六条第一款",
    "DZ_6_2": f"{DZ}第六条第二款",
    "DZ_7_1": f"{DZ}第七条第一款",
    "DZ_7_2": f"{DZ}第七条第二款",
    "DZ_7_3": f"{DZ}第七条第三款",
    "DZ_9_1": f"{DZ}第九条第一款",
    "DZ_9_2": f"{DZ}第九条第二款",
    "DZ_10": f"{DZ}第十条",
    "DZ_11_1": f"{DZ}第十一条第一款",
    "DZ_12_1": f"{DZ}第十二条第一款",
    "DZ_12_2": f"{DZ}第十二条第二款",
    "DZ_13_1": f"{DZ}第十三条第一款",
    "DZ_13_2": f"{DZ}第十三条第二款",
    "DZ_14": f"{DZ}第十四条",
    "DZ_15_1": f"{DZ}第十五条第一款",
    "DZ_15_2": f"{DZ}第十五条第二款",
    "DZ_15_2_LIFT": f"{DZ}第十五条第二款",
    "DZ_16_1": f"{DZ}第十六条第一款",
    "LZ_2_APPEAL": f"{LZ}第二部分",
    "LZ_3_AREA": f"{LZ}第三部分",
    "LZ_3_SCOPE": f"{LZ}第三部分",
    "LZ_3_JOINT": f"{LZ}第三部分",
    "LZ_4_1": f"{LZ}第四部分第（一）项",
    "LZ_4_2": f"{LZ}第四部分第（二）项",
    "LZ_4_2_1": f"{LZ}第四部分第（二）项第1点",
    "LZ_5_1_2": f"{LZ}第五部分第（一）项第2点",
    "LZ_5_1_2_SHORT_OF_PENALTY": f"{LZ}第五部分第（一）项第2点",
    "LZ_5_1_2_SITUATION_3": f"{LZ}第五部分第（一）项第2点",
    "LZ_5_1_3": f"{LZ}第五部分第（一）项第3点",
    "LZ_5_1_4_VERIFY": f"{LZ}第五部分第（一）项第4点",
    "LZ_5_1_4_NOTICE": f"{LZ}第五部分第（一）项第4点",
    "LZ_5_1_4_OBJECTION": f"{LZ}第五部分第（一）项第4点",
    "LZ_5_1_4_HEARING": f"{LZ}第五部分第（一）项第4点",
    "LZ_5_1_4_CORRECTION": f"{LZ}第五部分第（一）项第4点",
    "LZ_5_1_4_PUSH": f"{LZ}第五部分第（一）项第4点",
    "LZ_5_1_5_PERIOD": f"{LZ}第五部分第（一）项第5点",
    "LZ_5_1_5_REPAIR": f"{LZ}第五部分第（一）项第5点",
    "LZ_5_1_5_OTHER_PERIOD": f"{LZ}第五部分第（一）项第5点",
    "LZ_5_1_6_CONSENT": f"{LZ}第五部分第（一）项第6点",
    "LZ_5_1_6_NO_LIFETIME": f"{LZ}第五部分第（一）项第6点",
    "LZ_5_2_1": f"{LZ}第五部分第（二）项第1点",
    "LZ_5_2_2": f"{LZ}第五部分第（二）项第2点",
    "LZ_5_2_3": f"{LZ}第五部分第（二）项第3点",
    "LZ_ANNEX": f"{LZ}附件",
    "GB_22_2": f"{GB}第二部分",
    "NDRC_36_IN_FORCE": f"{NDRC}公布令",
    "NDRC_36_2": f"{NDRC}第二条",
    "NDRC_36_3_1": f"{NDRC}第三条第一款",
}
OTHERS: dict[str, tuple[Citation, str]] = {
    "NDRC_36_3_PUBLICATION": (n.NDRC_36_3_PUBLICATION, f"{NDRC}第三条第二款"),
    "NDRC_36_3_SHARING": (n.NDRC_36_3_SHARING, f"{NDRC}第三条第三款"),
    "LZ_PREAMBLE_MINOR": (LZ_PREAMBLE_MINOR, f"{LZ}序言"),
}


def _constants() -> dict[str, Citation]:
    return {name: value for name, value in vars(c).items() if isinstance(value, Citation)}


def test_the_table_covers_every_citation_constant() -> None:
    assert set(EXPECTED) == set(_constants())
    assert {id(v) for v in _constants().values()} == {id(v) for v in ALL_CITATIONS}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_constant_in_chinese_legal_form(name: str) -> None:
    citation = _constants()[name]
    assert cite_zh(citation) == EXPECTED[name]
    # the stored short label reads back to the same pointer
    assert label_zh(citation.label) == EXPECTED[name]
    assert parse_label(citation.label) == Citation(
        citation.source, citation.article, citation.paragraph, ""
    )


@pytest.mark.parametrize("name", sorted(OTHERS))
def test_the_citations_defined_elsewhere(name: str) -> None:
    citation, expected = OTHERS[name]
    assert cite_zh(citation) == expected
    assert label_zh(citation.label) == expected


def test_no_english_label_mark_survives() -> None:
    every = [*ALL_CITATIONS, *(v for v, _ in OTHERS.values())]
    for citation in every:
        text = cite_zh(citation)
        assert not any(mark in text for mark in ("¶", "§", "art.", "annex", "promulgation"))
        assert text.startswith("《")


@pytest.mark.parametrize(
    ("n", "zh"),
    [
        (1, "一"),
        (7, "七"),
        (10, "十"),
        (11, "十一"),
        (15, "十五"),
        (20, "二十"),
        (82, "八十二"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (201, "二百零一"),
        (215, "二百一十五"),
        (999, "九百九十九"),
    ],
)
def test_article_numbers(n: int, zh: str) -> None:
    assert number_zh(n) == zh


@pytest.mark.parametrize("n", [0, 1000, -3])
def test_numbers_out_of_range(n: int) -> None:
    with pytest.raises(ValueError):
        number_zh(n)


def test_stored_deadline_labels_and_runs_of_one_source() -> None:
    assert label_zh("民法典 art. 201; 行政许可法 art. 82") == (
        f"{CIVIL}第二百零一条、《中华人民共和国行政许可法》第八十二条"
    )
    assert label_zh("民法典 art. 201; 民法典 art. 203") == f"{CIVIL}第二百零一条、第二百零三条"
    assert join_zh((c.DZ_7_2, c.DZ_9_2)) == f"{DZ}第七条第二款、第九条第二款"
    # not a label: kept as written
    assert label_zh("本机关规定") == "本机关规定"
    assert label_zh("DZ art. 7 ¶2; 本机关规定") == f"{DZ}第七条第二款、本机关规定"


def test_a_stored_legal_basis_gets_its_label_in_chinese() -> None:
    stored = f"{c.LZ_5_1_2_SITUATION_3.label}：{c.LZ_5_1_2_SITUATION_3.text_zh}"
    assert basis_zh(stored) == f"{LZ}第五部分第（一）项第2点：{c.LZ_5_1_2_SITUATION_3.text_zh}"
    assert (
        basis_zh("《中华人民共和国食品安全法》第三十五条")
        == "《中华人民共和国食品安全法》第三十五条"
    )
    assert basis_zh("某某：说明") == "某某：说明"
