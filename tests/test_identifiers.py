"""统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999)."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.identifiers import InvalidIdentifier, check_resident_id, check_uscc
from tests.factories import resident_id, uscc, wrong_check

TODAY = date(2026, 9, 30)


@pytest.mark.parametrize(
    "number",
    [
        "91350100M000100Y43",  # the example code used by GB 32100 guidance
        uscc("91371400MA3C5AB12"),
        uscc("12371400MB2850123"),  # 机构编制 (1), 事业单位 (2)
        uscc("A1371400MA0000013"),  # A: 中央军委改革和编制办公室
        uscc("N2371400MF8800047"),  # N: 农业 (农民专业合作社)
        uscc("Y1371400MA0000019"),  # Y: 其他
    ],
)
def test_valid_uscc(number: str) -> None:
    assert check_uscc(number).normalized == number


def test_uscc_is_normalised() -> None:
    number = uscc("N2371400MF8800047")
    messy = f" {number[:4].lower()} {number[4:10]}\u3000{number[10:]} "
    assert check_uscc(messy).normalized == number


@pytest.mark.parametrize(
    ("number", "why"),
    [
        (wrong_check(uscc("91371400MA3C5AB12")), "check character"),
        ("91371400MA3C5AB1", "18 characters"),
        ("B1371400MA3C5AB12X", "registration department"),  # B is no department code
        ("91371400MA3C5AB1I0", "registration department"),  # I is not in the alphabet
        ("9137140OMA3C5AB120", "registration department"),  # region code must be digits
    ],
)
def test_invalid_uscc(number: str, why: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        check_uscc(number)
    assert caught.value.code == "invalid_uscc"
    assert why in caught.value.reason


def test_valid_resident_id() -> None:
    # The specimen number of GB 11643-1999: check character X.
    checked = check_resident_id("11010519491231002x", TODAY)
    assert (checked.normalized, checked.warnings) == ("11010519491231002X", ())


def test_unknown_region_is_a_warning_not_a_rejection() -> None:
    number = resident_id("99990019800101123")
    checked = check_resident_id(number, TODAY)
    assert checked.normalized == number
    assert checked.warnings and "999900" in checked.warnings[0]


@pytest.mark.parametrize(
    ("number", "why"),
    [
        (wrong_check(resident_id("37140219850612123")), "check digit"),
        (resident_id("37140219850230123"), "birth date"),  # 30 February
        (resident_id("37140220261001123"), "future"),  # born after TODAY
        (resident_id("37140218991231123"), "before 1900"),
        ("3714021985061212", "17 digits"),
        ("37140219850612123Y", "17 digits"),
    ],
)
def test_invalid_resident_id(number: str, why: str) -> None:
    with pytest.raises(InvalidIdentifier) as caught:
        check_resident_id(number, TODAY)
    assert caught.value.code == "invalid_resident_id"
    assert why in caught.value.reason


def test_born_today_is_valid() -> None:
    assert check_resident_id(resident_id("37140220260930123"), TODAY).warnings == ()
