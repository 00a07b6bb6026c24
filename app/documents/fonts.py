"""The one font of every printed document: a CJK TrueType font embedded (subset) in the
file, so that a page prints the same on a machine with no Chinese font at all.

The font is the file named by ``ZWFW_REPORT_FONT``, else the first of
:data:`CJK_FONT_PATHS` found: Debian's ``fonts-wqy-microhei`` (WenQuanYi Micro Hei,
installed by ``.ci/run`` and the Dockerfile), or the other WenQuanYi or AR PL fonts with
both CJK and Latin glyphs and TrueType outlines (reportlab embeds glyf fonts, not CFF
ones such as Noto Sans CJK; Droid Sans Fallback lacks Latin digits).

No reader's CID font (STSong-Light) is ever used: it is not embedded, and a reader
without it prints every Chinese character as a blank. A missing font is an error
(:class:`DocumentFontMissing`, 503) when a document is rendered, never a silent
fallback: the problem's detail names the package to install.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Final

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from app.core.errors import ServiceUnavailable

CJK_FONT_PATHS: Final = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
FONT_PREFIX: Final = "ZwfwDocument"
# The list mark of documents: a glyph WenQuanYi Micro Hei draws (checked by a test
# against the font's cmap), unlike the reader's CID fonts that left "·" blank.
BULLET: Final = "•"


class DocumentFontMissing(ServiceUnavailable):
    """No CJK font to embed: documents cannot be printed until one is installed."""


@dataclass(frozen=True, slots=True)
class DocumentFont:
    """A registered font: its reportlab name and the file it comes from."""

    name: str
    path: str


def _install_hint(configured: str | None) -> str:
    if configured:
        return (
            f"The document font ZWFW_REPORT_FONT={configured!r} is not a TrueType font "
            "file reportlab can embed."
        )
    return (
        "No CJK TrueType font to embed in documents: install fonts-wqy-microhei "
        f"(one of {', '.join(CJK_FONT_PATHS)}) or set ZWFW_REPORT_FONT to a .ttf/.ttc file."
    )


@lru_cache(maxsize=8)
def document_font(configured: str | None = None) -> DocumentFont:
    """Register the font once per process: ``configured`` when given (and then only it),
    else the first of the known files found. Raises :class:`DocumentFontMissing`."""
    candidates = (configured,) if configured else CJK_FONT_PATHS
    for candidate in candidates:
        if candidate is None or not Path(candidate).is_file():
            continue
        name = f"{FONT_PREFIX}-{Path(candidate).stem}"
        try:
            pdfmetrics.registerFont(TTFont(name, candidate, subfontIndex=0))
        except Exception:  # noqa: S112 - a file reportlab cannot embed: try the next
            continue
        return DocumentFont(name, candidate)
    raise DocumentFontMissing(_install_hint(configured))


def missing_glyphs(text: str, font: DocumentFont) -> set[str]:
    """The characters of ``text`` the font has no glyph for (each would print blank)."""
    face = pdfmetrics.getFont(font.name).face
    cmap: dict[int, int] = face.charToGlyph
    return {ch for ch in text if not ch.isspace() and cmap.get(ord(ch), 0) == 0}
