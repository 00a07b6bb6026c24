"""Document numbers (文书编号) a clerk can read out and type: the department's code, the
document's kind, the year and eight characters of the record's id,
``371400-XZSP-CN-2026-7K2MQX4A``.

The number is derived, not stored: the same record prints the same number on every
copy. The eight characters are the low 40 bits of the id (random in a version-4 UUID) in
Crockford's base32, which has no I, L, O or U to misread; two records of one kind, one
department and one year share a number with odds of about one in a trillion per pair.
"""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Final

CROCKFORD: Final = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH: Final = 8


class DocumentKind(StrEnum):
    """The kind's letters in a number (the pinyin initials of its name)."""

    NOTICE = "GZ"  # 一次性告知书
    COMMITMENT_LETTER = "CN"  # 承诺书
    LISTING_NOTICE = "RD"  # 失信制约认定告知书
    REPAIR_NOTICE = "ZG"  # 失信制约整改告知书
    CREDIT_COMMITMENT = "XC"  # 信用承诺书（信用修复申请用）
    CREDIT_REPAIR_DECISION = "XF"  # 信用修复决定书


def short_code(ident: uuid.UUID) -> str:
    """Eight Crockford base32 characters of the id's low 40 bits."""
    value = ident.int & ((1 << (5 * CODE_LENGTH)) - 1)
    return "".join(CROCKFORD[(value >> (5 * shift)) & 31] for shift in reversed(range(CODE_LENGTH)))


def document_number(kind: DocumentKind, department: str, year: int, ident: uuid.UUID) -> str:
    """``{department}-{kind}-{year}-{code}``: 371400-XZSP-CN-2026-7K2MQX4A."""
    return f"{department}-{kind.value}-{year}-{short_code(ident)}"
