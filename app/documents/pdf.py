"""Printable documents (A4, Chinese) with their CJK font embedded (app.documents.fonts).

One layout serves every document: the one-time notice (一次性告知书), the commitment
letter (承诺书), the listing and repair notices (告知书) and the credit repair letters.
A label column is as wide as its longest label (a label never wraps mid-word), list items
carry a mark the font draws, and a document an agency issues ends with the issuer, the
place of its seal (盖章) and the date of issue.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors, textsplit
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
    paragraph,
)

from app.documents.fonts import BULLET, document_font

PADDING = 6  # points each side of a table cell (reportlab's default)
# Marks no line may start with (禁则): reportlab's CJK list has the Japanese ones but not
# the full-width comma, semicolon, colon, ! and ? of Chinese text, nor the closing
# book-title marks of citations (》), so "…法/》第八十二条" could break there. Both of its CJK
# line breakers (one fragment, several) read the list.
_CANNOT_START = "".join(
    c for c in "》〉」』】〕〗，；：！？" if c not in textsplit.ALL_CANNOT_START
)
textsplit.ALL_CANNOT_START += _CANNOT_START
paragraph.ALL_CANNOT_START += _CANNOT_START


@dataclass(frozen=True, slots=True)
class DeadlineLine:
    label: str
    on: date
    provisional: bool
    citation: str
    explanation: str | None = None  # 期限说明 in one line (app.rules.explain.summary_zh)


@dataclass(frozen=True, slots=True)
class Section:
    heading: str
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Verification:
    """核验码 and the URL that verifies it (app.documents.verification)."""

    code: str
    url: str


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    reference: str
    fields: tuple[tuple[str, str], ...]
    sections: tuple[Section, ...]
    deadlines: tuple[DeadlineLine, ...] = ()
    signatures: tuple[str, ...] = ()
    footer: tuple[str, ...] = field(default=())
    dated: date | None = None  # date of issue (成文日期)
    issuer: str | None = None  # the issuing agency: its name over the place of its seal
    verification: Verification | None = None


@dataclass(frozen=True, slots=True)
class _Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle
    item: ParagraphStyle
    right: ParagraphStyle


def day_zh(day: date) -> str:
    """2026年10月20日."""
    return f"{day.year}年{day.month}月{day.day}日"


@lru_cache(maxsize=4)
def _styles(font: str) -> _Styles:
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    return _Styles(
        title=ParagraphStyle(
            "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=2 * mm
        ),
        heading=ParagraphStyle("heading", parent=base, fontSize=12, leading=18, spaceBefore=3 * mm),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=9, leading=13, textColor=colors.grey),
        item=ParagraphStyle(
            "item", parent=base, leftIndent=5 * mm, bulletIndent=1 * mm, bulletFontName=font
        ),
        right=ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _fit(texts: list[str], style: ParagraphStyle, widest: float) -> float:
    """A column as wide as its longest text on one line (with the cell's padding), at most
    ``widest``: a short label is never broken, a long one wraps inside its cell."""
    longest = max(
        (pdfmetrics.stringWidth(t, style.fontName, style.fontSize) for t in texts), default=0
    )
    return min(longest + 2 * PADDING + 1, widest)


def _table(rows: list[list[Paragraph]], widths: list[float], font: str) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (0, -1), colors.whitesmoke),
                ("FONTNAME", (0, 0), (-1, -1), font),
            ]
        )
    )
    return table


def _deadline_table(document: Document, styles: _Styles, width: float, font: str) -> Table:
    days = [
        day_zh(line.on) + ("（暂定）" if line.provisional else "") for line in document.deadlines
    ]
    labels = [line.label for line in document.deadlines]
    label_width = _fit(labels, styles.body, width * 0.3)
    day_width = _fit(days, styles.body, width * 0.3)
    rows = [
        [_p(line.label, styles.body), _p(day, styles.body), _p(line.citation, styles.small)]
        for line, day in zip(document.deadlines, days, strict=True)
    ]
    return _table(rows, [label_width, day_width, width - label_width - day_width], font)


def _issued(document: Document, styles: _Styles, story: list[Flowable]) -> None:
    """The issuer over the place of its seal, and the date of issue, at the right; kept on
    the page of the text before it (a seal never stands alone on a page)."""
    lines = []
    if document.issuer is not None:
        lines.append(_p(f"{document.issuer}（盖章）", styles.right))
    if document.dated is not None:
        lines.append(_p(day_zh(document.dated), styles.right))
    if not lines:
        return
    seal_room = Spacer(1, 18 * mm if document.issuer is not None else 4 * mm)
    story.append(KeepTogether([story.pop(), seal_room, *lines]))


def render_pdf(document: Document, font: str | None = None) -> bytes:
    """The document on A4, embedded in ``font`` (a registered font's name: the caller's
    ``document_font(settings.report_font).name``), else in the first known CJK font."""
    font = font or document_font().name
    styles = _styles(font)
    width = A4[0] - 40 * mm
    story: list[Flowable] = [_p(document.title, styles.title)]
    story.append(
        _p(document.reference, ParagraphStyle("ref", parent=styles.small, alignment=TA_RIGHT))
    )
    story.append(Spacer(1, 3 * mm))
    if document.fields:
        label_width = _fit([k for k, _ in document.fields], styles.body, width * 0.4)
        rows = [[_p(k, styles.body), _p(v, styles.body)] for k, v in document.fields]
        story.append(_table(rows, [label_width, width - label_width], font))
    for section in document.sections:
        story.append(_p(section.heading, styles.heading))
        story.extend(_p(text, styles.body) for text in section.paragraphs)
        story.extend(
            Paragraph(escape(text), styles.item, bulletText=BULLET) for text in section.bullets
        )
    if document.deadlines:
        story.append(_p("期限", styles.heading))
        story.append(_deadline_table(document, styles, width, font))
        story.extend(_deadline_explanations(document.deadlines, styles))
    if document.signatures:
        story.append(Spacer(1, 8 * mm))
        story.extend(
            _p(label if "：" in label else f"{label}：________________", styles.body)
            for label in document.signatures
        )
    _issued(document, styles, story)
    if document.footer:
        story.append(Spacer(1, 6 * mm))
        story.extend(_p(text, styles.small) for text in document.footer)
    if document.verification is not None:
        story.extend(verification_block(document.verification, font))

    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=20 * mm,
        bottomMargin=20 * mm,
        title=document.title,
        author="zwfw-credit",
        invariant=1,  # the same document renders the same bytes (its SHA-256 is registered)
        # the page's initial font is the embedded one too: no other font is named
        initialFontName=font,
    ).build(story)
    return buffer.getvalue()


def _deadline_explanations(deadlines: tuple[DeadlineLine, ...], styles: _Styles) -> list[Flowable]:
    """期限说明 under the deadlines: how each was counted, in one line."""
    return [
        _p(f"{line.label}：{line.explanation}", styles.small)
        for line in deadlines
        if line.explanation
    ]


def verification_block(verification: Verification, font: str) -> list[Flowable]:
    """核验码, its URL and the URL's QR code, for the end of any document."""
    style = ParagraphStyle("verification", fontName=font, fontSize=8.5, leading=12, wordWrap="CJK")
    widget = QrCodeWidget(verification.url, barLevel="M")
    left, bottom, right, top = widget.getBounds()
    size = 24 * mm
    scale = [size / (right - left), 0, 0, size / (top - bottom), 0, 0]
    # the drawing's font is the document's: no reader font slips into an embedded document
    qr = Drawing(size, size, transform=scale, initialFontName=font)
    qr.add(widget)
    text = [
        _p(f"文书核验码：{verification.code}", style),
        _p(
            f"可通过 {verification.url} 或扫描二维码核验本文书的种类、编号、出具机关、出具时间、"
            "当前状态及电子文件的SHA-256值。",
            style,
        ),
    ]
    table = Table([[qr, text]], colWidths=[28 * mm, A4[0] - 40 * mm - 28 * mm], hAlign="LEFT")
    table.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("FONTNAME", (0, 0), (-1, -1), font)])
    )
    return [Spacer(1, 5 * mm), table]
