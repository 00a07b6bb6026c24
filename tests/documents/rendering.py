"""Rasterise a PDF (poppler's pdftoppm) and compare pages with reference PNGs."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageFilter

REFERENCES = Path(__file__).parent / "references"
DPI = 60
# A pixel differs when, after a blur of one pixel, its grey level moved by more than this
# (anti-aliasing of another poppler or FreeType version moves edges by less).
LEVEL = 64
# A page matches when at most this share of its pixels differ: one line of text moved,
# wrapped or lost changes several times more.
TOLERANCE = 0.004


def rasterise(pdf: bytes, directory: Path, stem: str) -> list[Path]:
    """One greyscale PNG per page, ``{stem}-{page}.png``, in ``directory``."""
    pdftoppm = shutil.which("pdftoppm")
    assert pdftoppm is not None, "poppler-utils' pdftoppm is needed (apt-get install poppler-utils)"
    source = directory / f"{stem}.pdf"
    source.write_bytes(pdf)
    subprocess.run(  # noqa: S603 - a fixed program on the test's own file
        [pdftoppm, "-r", str(DPI), "-gray", "-png", str(source), str(directory / stem)],
        check=True,
    )
    pages = sorted(directory.glob(f"{stem}-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
    # pdftoppm pads page numbers to the page count's width: name them 1, 2, ... plainly
    renamed = []
    for number, page in enumerate(pages, start=1):
        target = directory / f"{stem}-{number}.png"
        page.rename(target)
        renamed.append(target)
    return renamed


@dataclass(frozen=True, slots=True)
class Difference:
    share: float  # of the page's pixels that differ
    size_matches: bool


def difference(actual: Path, expected: Path) -> Difference:
    with Image.open(actual) as a, Image.open(expected) as e:
        if a.size != e.size:
            return Difference(1.0, False)
        blur = ImageFilter.GaussianBlur(1)
        diff = ImageChops.difference(
            a.convert("L").filter(blur), e.convert("L").filter(blur)
        ).point(lambda level: 255 if level > LEVEL else 0)
        changed = diff.histogram()[255]
        return Difference(changed / (a.size[0] * a.size[1]), True)


def ink(page: Path) -> float:
    """The share of a page's pixels that are not white (a blank page has none)."""
    with Image.open(page) as image:
        grey = image.convert("L")
        histogram = grey.histogram()
        return 1 - sum(histogram[240:]) / (grey.size[0] * grey.size[1])
