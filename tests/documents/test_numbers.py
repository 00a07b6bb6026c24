"""Readable document numbers (app.documents.numbers): hand-computed codes."""

from __future__ import annotations

import uuid

import pytest

from app.documents.numbers import DocumentKind, document_number, short_code


@pytest.mark.parametrize(
    ("ident", "code"),
    [
        ("00000000-0000-4000-8000-000000000000", "00000000"),
        ("00000000-0000-4000-8000-00000000001f", "0000000Z"),  # 31: the last digit Z
        ("00000000-0000-4000-8000-000000000020", "00000010"),  # 32: one in the next place
        ("00000000-0000-4000-8000-00ffffffffff", "ZZZZZZZZ"),  # the low 40 bits all set
        ("ffffffff-ffff-4fff-bfff-ff0000000000", "00000000"),  # higher bits play no part
        # 0x0123456789 in 5-bit groups: 00000 00100 10001 10100 01010 11001 11100 01001
        # = 0 4 17 20 10 25 28 9 = 0 4 H M A S W 9
        ("00000000-0000-4000-8000-000123456789", "04HMASW9"),
    ],
)
def test_the_code_is_the_low_forty_bits_in_crockford_base32(ident: str, code: str) -> None:
    assert short_code(uuid.UUID(ident)) == code


def test_the_number_reads_department_kind_year_and_code() -> None:
    ident = uuid.UUID("00000000-0000-4000-8000-000123456789")
    assert (
        document_number(DocumentKind.COMMITMENT_LETTER, "371400-SPJ", 2026, ident)
        == "371400-SPJ-CN-2026-04HMASW9"
    )
    # the same record, the same number; another kind of document, another number
    assert document_number(DocumentKind.NOTICE, "371400-SPJ", 2026, ident).endswith(
        "-GZ-2026-04HMASW9"
    )


def test_no_letter_that_reads_as_a_digit() -> None:
    codes = {short_code(uuid.uuid4()) for _ in range(500)}
    assert all(len(c) == 8 and not set(c) & set("ILOU") for c in codes)
