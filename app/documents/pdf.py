"""Printable documents (A4, Chinese) rendered with reportlab's built-in CJK font.

`STSong-Light` is one of the Adobe CID fonts every PDF reader carries, so nothing is
downloaded or embedded. One layout serves the one-time notice (一次性告知书), the
commitment letter (承诺书) and the listing notice (失信制约认定告知书).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT = "STSong-Light"


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
    dated: date | None = None
    verification: Verification | None = None


@dataclass(frozen=True, slots=True)
class _Styles:
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    small: ParagraphStyle


@lru_cache(maxsize=4)
def _styles(font: str = FONT) -> _Styles:
    """Register the font once per process and build the styles; ``font`` another font
    already registered (an embedded one, app.statistics.report.report_font)."""
    if font == FONT:
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    base = ParagraphStyle("body", fontName=font, fontSize=11, leading=17, wordWrap="CJK")
    return _Styles(
        title=ParagraphStyle(
            "title", parent=base, fontSize=18, leading=26, alignment=TA_CENTER, spaceAfter=4 * mm
        ),
        heading=ParagraphStyle("heading", parent=base, fontSize=12, leading=18, spaceBefore=3 * mm),
        body=base,
        small=ParagraphStyle("small", parent=base, fontSize=9, leading=13, textColor=colors.grey),
    )


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(rows: list[list[Paragraph]], widths: list[float], font: str = FONT) -> Table:
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


def render_pdf(document: Document, font: str = FONT) -> bytes:
    """The document on A4; in ``font`` when given (registered by the caller)."""
    styles = _styles(font)
    width = A4[0] - 40 * mm
    story: list[Flowable] = [_p(document.title, styles.title), _p(document.reference, styles.small)]
    story.append(Spacer(1, 3 * mm))
    if document.fields:
        rows = [[_p(k, styles.body), _p(v, styles.body)] for k, v in document.fields]
        story.append(_table(rows, [35 * mm, width - 35 * mm], font))
    for section in document.sections:
        story.append(_p(section.heading, styles.heading))
        story.extend(_p(text, styles.body) for text in section.paragraphs)
        story.extend(_p(f"· {text}", styles.body) for text in section.bullets)
    if document.deadlines:
        story.append(_p("期限", styles.heading))
        rows = [
            [
                _p(line.label, styles.body),
                _p(line.on.isoformat() + ("（暂定）" if line.provisional else ""), styles.body),
                _p(line.citation, styles.small),
            ]
            for line in document.deadlines
        ]
        story.append(_table(rows, [45 * mm, 40 * mm, width - 85 * mm], font))
        story.extend(_deadline_explanations(document.deadlines, styles))
    if document.signatures:
        story.append(Spacer(1, 8 * mm))
        story.extend(_p(f"{label}：________________", styles.body) for label in document.signatures)
    if document.dated is not None:
        d = document.dated
        story.append(Spacer(1, 4 * mm))
        story.append(_p(f"{d.year}年{d.month}月{d.day}日", styles.body))
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
        # an embedded font names no other: the page's initial font is it too
        **({} if font == FONT else {"initialFontName": font}),
    ).build(story)
    return buffer.getvalue()


def _deadline_explanations(deadlines: tuple[DeadlineLine, ...], styles: _Styles) -> list[Flowable]:
    """期限说明 under the deadlines: how each was counted, in one line."""
    return [
        _p(f"{line.label}：{line.explanation}", styles.small)
        for line in deadlines
        if line.explanation
    ]


def verification_block(verification: Verification, font: str = FONT) -> list[Flowable]:
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
