"""Citations in Chinese legal form, as printed on documents:
《德州市政务服务信用信息应用办法》第七条第二款.

:attr:`Citation.label <app.rules.citations.Citation.label>` ("DZ art. 7 ¶2") is the short
English label of logs, API payloads and stored deadlines; the documents a window prints
state the same pointer the way a Chinese text cites a law:

- an article and paragraph: 第七条第二款 (DZ, 民法典, 行政许可法, 36号令);
- the Linzi scheme by part, subsection and point: 第五部分第（一）项第4点 (LZ §5(1)4);
- the national scheme by part: 第二部分 (国办发〔2025〕22号 §二);
- a part with no number: 附件, 序言, 公布令.

A national source carries its document number after the title, so that a reader can find
it: 《信用修复管理办法》（国家发展改革委令第36号）第二条. Pure functions, no I/O.
"""

from __future__ import annotations

import re
from typing import Final

from app.rules.citations import GB_22, LZ, NDRC_36, SOURCE_TITLES_ZH, Citation

# The title the cited text bears (for 22号, the scheme the circular issues).
TITLES_ZH: Final[dict[str, str]] = {
    **SOURCE_TITLES_ZH,
    GB_22: "关于进一步完善信用修复制度的实施方案",
}
NUMBERS_ZH: Final[dict[str, str]] = {GB_22: GB_22, NDRC_36: NDRC_36}
PARTS_ZH: Final[dict[str, str]] = {"annex": "附件", "preamble": "序言", "promulgation": "公布令"}

_DIGITS = "零一二三四五六七八九"
_LZ_SECTION = re.compile(r"^(\d+)(?:\((\d+)\))?$")
_LABEL = re.compile(
    r"^(?P<source>\S+) (?:art\. (?P<art>\d+)(?: ¶(?P<para>\d+))?|§(?P<sec>.+)|(?P<part>\w+))$"
)
_LZ_LABEL = re.compile(r"^(\d+(?:\(\d+\))?)(\d+)?$")


def number_zh(n: int) -> str:
    """1-999 in Chinese numerals as articles are numbered: 七, 十五, 八十二, 二百零一."""
    if not 0 < n < 1000:
        raise ValueError(f"no article number {n}")
    hundreds, tens, ones = n // 100, n // 10 % 10, n % 10
    text = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        text += "零"
    return text + (_DIGITS[ones] if ones else "")


def _pointer(citation: Citation) -> str:
    article, paragraph = citation.article, citation.paragraph
    if citation.source == GB_22:
        return f"第{article}部分"
    if article in PARTS_ZH:
        return PARTS_ZH[article]
    if citation.source == LZ:
        match = _LZ_SECTION.match(article)
        if match is None:
            raise ValueError(f"no LZ section {article!r}")
        text = f"第{number_zh(int(match[1]))}部分"
        if match[2]:
            text += f"第（{number_zh(int(match[2]))}）项"
        return text + (f"第{paragraph}点" if paragraph else "")
    text = f"第{number_zh(int(article))}条"
    return text + (f"第{number_zh(int(paragraph))}款" if paragraph else "")


def cite_zh(citation: Citation) -> str:
    """《德州市政务服务信用信息应用办法》第七条第二款."""
    number = NUMBERS_ZH.get(citation.source)
    source = f"《{TITLES_ZH[citation.source]}》" + (f"（{number}）" if number else "")
    return source + _pointer(citation)


def join_zh(citations: tuple[Citation, ...]) -> str:
    """Several citations, 、-separated, a source named once for a run of its articles:
    《中华人民共和国民法典》第二百零一条、第二百零三条."""
    texts = [
        _pointer(c) if i and c.source == citations[i - 1].source else cite_zh(c)
        for i, c in enumerate(citations)
    ]
    return "、".join(texts)


def parse_label(label: str) -> Citation | None:
    """The citation a short label (:attr:`Citation.label`) points at, without its text;
    None when ``label`` is not one."""
    match = _LABEL.match(label.strip())
    if match is None or match["source"] not in TITLES_ZH:
        return None
    source = match["source"]
    if match["art"]:
        return Citation(source, match["art"], match["para"], "")
    if match["part"]:
        return Citation(source, match["part"], None, "") if match["part"] in PARTS_ZH else None
    section = match["sec"]
    if source == LZ:
        lz = _LZ_LABEL.match(section)
        return Citation(LZ, lz[1], lz[2], "") if lz else None
    return Citation(source, section, None, "") if source == GB_22 else None


def label_zh(labels: str) -> str:
    """Stored labels ("民法典 art. 201; 行政许可法 art. 82", as a deadline keeps them) in
    Chinese legal form; a part that is no label stays as it is."""
    parts = [p.strip() for p in labels.split(";") if p.strip()]
    parsed = [parse_label(p) for p in parts]
    if all(c is not None for c in parsed):
        return join_zh(tuple(c for c in parsed if c is not None))
    return "、".join(cite_zh(c) if c else p for c, p in zip(parsed, parts, strict=True))


def basis_zh(text: str) -> str:
    """A legal basis stored as "label：text" ("LZ §5(1)2：…") with the label in Chinese form."""
    label, sep, rest = text.partition("：")
    citation = parse_label(label) if sep else None
    return f"{cite_zh(citation)}：{rest}" if citation is not None else text
