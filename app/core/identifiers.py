"""Identifiers of applicants: 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999).

The check characters come from python-stdnum. Its validators are not used as they stand:
`cn.uscc` insists on eight leading digits, so it rejects real codes whose registration
department code is a letter (A, N, Y); `cn.ric` rejects real numbers from regions missing
from its table. Here an unknown region is a warning, never a rejection.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import lru_cache

from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc
from stdnum.exceptions import ValidationError as _StdnumError

_WHITESPACE = re.compile(r"[\s\u3000-]+")
# 31 characters: digits and capital letters without I, O, S, V, Z (GB 32100-2015, 4.2).
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Registration management department codes (登记管理部门码): 1-9, A, N, Y.
_USCC_DEPARTMENT_CODES = "123456789ANY"
_USCC_SHAPE = re.compile(
    rf"^[{_USCC_DEPARTMENT_CODES}][{_USCC_ALPHABET}]\d{{6}}[{_USCC_ALPHABET}]{{10}}$"
)
_RESIDENT_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")
_EARLIEST_BIRTH = date(1900, 1, 1)


class SubjectType(StrEnum):
    """申请人类型: person 公民 (居民身份证号码) or organization 法人和其他组织 (USCC)."""

    person = "person"
    organization = "organization"


class InvalidIdentifier(ValueError):
    """An identifier that fails its standard; ``code`` is the machine code of the problem."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


@dataclass(frozen=True, slots=True)
class CheckedIdentifier:
    normalized: str
    warnings: tuple[str, ...] = ()


def normalize(raw: str) -> str:
    """Upper case, without spaces (ASCII or ideographic) and hyphens."""
    return _WHITESPACE.sub("", raw).upper()


def check_uscc(raw: str) -> CheckedIdentifier:
    number = normalize(raw)
    if len(number) != 18:
        raise InvalidIdentifier("invalid_uscc", "a USCC has 18 characters")
    if not _USCC_SHAPE.match(number):
        raise InvalidIdentifier(
            "invalid_uscc",
            "a USCC starts with a registration department code (1-9, A, N, Y), has a "
            "six-digit region code at positions 3-8 and uses no I, O, S, V or Z",
        )
    if _uscc.calc_check_digit(number[:17]) != number[17]:
        raise InvalidIdentifier("invalid_uscc", "the check character (MOD 31) does not match")
    return CheckedIdentifier(number)


def check_resident_id(raw: str, today: date) -> CheckedIdentifier:
    number = normalize(raw)
    if not _RESIDENT_ID_SHAPE.match(number):
        raise InvalidIdentifier(
            "invalid_resident_id", "a citizen ID number is 17 digits and a check digit or X"
        )
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InvalidIdentifier(
            "invalid_resident_id", "positions 7-14 are not a real birth date"
        ) from None
    if born > today or born < _EARLIEST_BIRTH:
        raise InvalidIdentifier(
            "invalid_resident_id", "the birth date lies in the future or before 1900"
        )
    if _ric.calc_check_digit(number) != number[17]:
        raise InvalidIdentifier(
            "invalid_resident_id", "the check digit (ISO 7064 MOD 11-2) does not match"
        )
    warnings: tuple[str, ...] = ()
    if not _region_known(number[:6], born.year):
        warnings = (f"region code {number[:6]} is not in the known region table",)
    return CheckedIdentifier(number, warnings)


@lru_cache(maxsize=65536)
def _region_known(region: str, birth_year: int) -> bool:
    """Whether the region code existed in the birth year (python-stdnum's table).

    Cached: a bulk import checks many numbers from the same few regions.
    """
    try:
        # Any number with this region and birth year gives the same answer.
        _ric.get_birth_place(f"{region}{birth_year:04d}01010000")
    except _StdnumError:
        return False
    return True


def check_identifier(subject_type: SubjectType, raw: str, today: date) -> CheckedIdentifier:
    if subject_type is SubjectType.organization:
        return check_uscc(raw)
    return check_resident_id(raw, today)
