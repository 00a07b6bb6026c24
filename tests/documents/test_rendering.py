"""Every printed document: fonts embedded, Chinese citations, every character drawn, and
the page as reviewed (a reference rendering under tests/documents/references/).

The references are PNGs of the fixed documents of tests/documents/samples.py rendered by
poppler at 60 dpi. After a reviewed change of layout or wording, regenerate them with

    ZWFW_UPDATE_REFERENCES=1 python -m pytest tests/documents/test_rendering.py

look at every changed PNG, and commit them with the change.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from app.documents import fonts
from app.documents.fonts import BULLET, DocumentFontMissing, document_font, missing_glyphs
from app.documents.pdf import Document, Section, render_pdf
from tests.documents.rendering import REFERENCES, TOLERANCE, difference, ink, rasterise
from tests.documents.samples import DOCUMENTS, KINDS, commitment_letter, one_time_notice, render

UPDATE = os.environ.get("ZWFW_UPDATE_REFERENCES") == "1"


def _fonts(pdf: bytes) -> dict[str, bool]:
    """Every font of every page's resources, and whether its program is in the file."""
    found: dict[str, bool] = {}
    for page in PdfReader(io.BytesIO(pdf)).pages:
        resources: Any = page["/Resources"]
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            programs = ("/FontFile", "/FontFile2", "/FontFile3")
            embedded = descriptor is not None and any(
                key in descriptor.get_object() for key in programs
            )
            found[str(font["/BaseFont"])] = embedded
    return found


def _text(pdf: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "poppler-utils' pdftotext is needed"
    done = subprocess.run(  # noqa: S603 - a fixed program on the test's own bytes
        [pdftotext, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return done.stdout.decode()


def _strings(document: Document) -> str:
    parts = [document.title, document.reference, *document.signatures, *document.footer]
    parts += [text for pair in document.fields for text in pair]
    for section in document.sections:
        parts += [section.heading, *section.paragraphs, *section.bullets]
    for line in document.deadlines:
        parts += [line.label, line.citation, "（暂定）"]
    parts += [document.issuer or "", "（盖章）年月日0123456789", BULLET]
    return "".join(parts)


@pytest.mark.parametrize("kind", KINDS)
def test_every_font_is_embedded(kind: str) -> None:
    pdf = render(kind)
    found = _fonts(pdf)
    assert found, "no font at all"
    assert all(found.values()), found
    assert all("WenQuanYi" in name for name in found), found
    assert b"STSong" not in pdf and b"UniGB" not in pdf


@pytest.mark.parametrize("kind", KINDS)
def test_citations_print_in_chinese_legal_form(kind: str) -> None:
    text = _text(render(kind))
    assert len(text) > 200
    for mark in ("¶", "§", "art.", "DZ ", "LZ "):
        assert mark not in text, mark
    # 禁则: no line starts with a closing mark or a pause
    starts = [line.strip()[:1] for line in text.splitlines() if line.strip()]
    assert not set(starts) & set("》〕）」，。、；："), [
        s for s in starts if s in "》〕）」，。、；："
    ]


@pytest.mark.parametrize("kind", sorted(DOCUMENTS))
def test_every_character_has_a_glyph_in_the_font(kind: str) -> None:
    assert missing_glyphs(_strings(DOCUMENTS[kind]()), document_font()) == set()


def test_the_bullet_is_drawn_by_the_font() -> None:
    assert missing_glyphs(BULLET, document_font()) == set()
    assert missing_glyphs("\uffff", document_font()) == {"\uffff"}  # the check can fail


@pytest.mark.parametrize("kind", KINDS)
def test_the_same_document_gives_the_same_bytes(kind: str) -> None:
    assert render(kind) == render(kind)


@pytest.mark.parametrize("kind", KINDS)
def test_pages_match_their_reviewed_reference(kind: str, tmp_path: Path) -> None:
    pages = rasterise(render(kind), tmp_path, kind)
    assert all(ink(page) > 0.01 for page in pages), "a blank page"
    if UPDATE:
        for old in REFERENCES.glob(f"{kind}-*.png"):
            old.unlink()
        REFERENCES.mkdir(exist_ok=True)
        for page in pages:
            shutil.copyfile(page, REFERENCES / page.name)
    expected = sorted(REFERENCES.glob(f"{kind}-*.png"))
    assert [p.name for p in pages] == [p.name for p in expected], "the page count changed"
    for page in pages:
        found = difference(page, REFERENCES / page.name)
        assert found.size_matches and found.share <= TOLERANCE, (page.name, found)


def test_the_comparison_sees_a_layout_change(tmp_path: Path) -> None:
    """One more line near the top moves the page below it: far over the tolerance."""
    document = commitment_letter()
    moved = replace(
        document, sections=(Section("补充说明", paragraphs=("一行。",)), *document.sections)
    )
    (page, *_) = rasterise(render_pdf(moved), tmp_path, "commitment_letter")
    assert difference(page, REFERENCES / "commitment_letter-1.png").share > 10 * TOLERANCE


def test_a_label_is_never_broken(tmp_path: Path) -> None:
    """政务服务实施机关 stays on one line: the label column is as wide as the label."""
    document = one_time_notice()
    label_only = replace(document, fields=(("政务服务实施机关", "甲"),), sections=(), deadlines=())
    text = _text(render_pdf(label_only))
    assert "政务服务实施机关" in text.replace(" ", "")
    assert "政务服务实施机\n" not in text


def test_a_missing_font_is_an_error_naming_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fonts, "CJK_FONT_PATHS", ("/nonexistent/wqy-microhei.ttc",))
    document_font.cache_clear()
    try:
        with pytest.raises(DocumentFontMissing, match="fonts-wqy-microhei") as raised:
            render_pdf(one_time_notice())
        assert raised.value.status == 503
    finally:
        document_font.cache_clear()
