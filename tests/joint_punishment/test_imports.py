"""Bulk import of the joint punishment lists over HTTP: CSV and JSON lines, row by row."""

from __future__ import annotations

import json
import time
import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.models import AuditEntry
from app.joint_punishment.models import JointPunishmentEntry
from tests.conftest import TokenFactory
from tests.joint_punishment.support import (
    CSV,
    IMPORTS,
    NDJSON,
    csv_body,
    in_chunks,
    valid_resident_id,
    valid_uscc,
    wrong_check,
)

PROBLEM = "application/problem+json"
ORG = valid_uscc(1)
PERSON = valid_resident_id(1)


def _errors(body: dict[str, Any]) -> dict[int, set[tuple[str, str]]]:
    """line -> {(field, code)} of every rejected row."""
    return {
        row["line"]: {(error["field"], error["code"]) for error in row["errors"]}
        for row in body["rejected_rows"]
    }


async def _entries(session: AsyncSession, import_id: str) -> list[JointPunishmentEntry]:
    statement = (
        select(JointPunishmentEntry)
        .where(JointPunishmentEntry.import_id == uuid.UUID(import_id))
        .order_by(JointPunishmentEntry.subject_type, JointPunishmentEntry.listed_on)
    )
    return list((await session.scalars(statement)).all())


def _assert_problem(response: httpx.Response, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    assert response.json()["code"] == code


async def test_a_csv_import_stores_valid_rows_with_quoted_fields(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    body = (
        "subject_type,id_number,name,list_name,source,listed_on,expires_on\n"
        f'organization,{ORG.lower()},"某某食品有限公司, 济南分公司",重大税收违法失信主体,'
        f"国家税务总局,2026-03-01,2029-02-28\n"
        f'person,{PERSON[:6]} {PERSON[6:]},"张三",失信被执行人,"最高人民法院, 执行局",2026-05-10,\n'
    ).encode()
    response = await client.post(IMPORTS, content=body, headers={**CSV, **auth("admin")})
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["format"], result["accepted"], result["rejected"]) == ("csv", 2, 0)
    assert result["rejected_rows"] == []
    assert result["rejected_rows_truncated"] is False
    assert response.headers["location"] == f"{IMPORTS}/{result['import_id']}"

    org, person = await _entries(session, result["import_id"])
    # Stored normalised: upper case, no spaces.
    assert (org.id_number, org.subject_type) == (ORG, "organization")
    assert org.name == "某某食品有限公司, 济南分公司"
    assert str(org.listed_on) == "2026-03-01" and str(org.expires_on) == "2029-02-28"
    assert (person.id_number, person.subject_type) == (PERSON, "person")
    assert person.source == "最高人民法院, 执行局"
    assert person.expires_on is None

    read = await client.get(response.headers["location"], headers=auth("admin"))
    assert read.status_code == 200
    assert read.json() | {"created_at": None} == {
        "id": result["import_id"],
        "format": "csv",
        "accepted": 2,
        "rejected": 0,
        "imported_by": "alice",
        "department": "371400-SPJ",
        "created_at": None,
    }


async def test_csv_columns_may_come_in_any_order(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    header = ("listed_on", "expires_on", "source", "list_name", "name", "id_number", "subject_type")
    body = csv_body(
        [("2026-01-01", "", "国家发展改革委", "失信联合惩戒对象", "", ORG, "organization")],
        header=header,
    )
    response = await client.post(IMPORTS, content=body, headers={**CSV, **auth("admin")})
    assert response.status_code == 201, response.text
    assert response.json()["accepted"] == 1


async def test_rejected_rows_are_reported_by_line_with_field_and_reason(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    ok = ("organization", ORG, "", "失信联合惩戒对象", "国家发展改革委", "2026-01-01", "")
    body = csv_body(
        [
            ok,  # line 2
            ("organization", wrong_check(ORG), "", "L", "S", "2026-01-01", ""),  # 3
            ("person", wrong_check(PERSON), "", "L", "S", "2026-01-01", ""),  # 4
            ("person", PERSON, "", "L", "S", "2026-02-30", ""),  # 5: no such day
            ("person", PERSON, "", "L", "S", "2026/01/01", ""),  # 6: not ISO
            ("person", PERSON, "", "L", "S", "2026-06-01", "2026-05-31"),  # 7
            ("person", PERSON, "", "", "S", "2026-01-01", ""),  # 8: no list name
            ("company", ORG, "", "L", "S", "2026-01-01", ""),  # 9
            ("person", "11010119900307", "", "L", "S", "", ""),  # 10: short id, no date
            ("person", PERSON, "", "L" * 201, "S", "2026-01-01", ""),  # 11
        ]
    )
    body += f"person,{PERSON},,L,S,2026-01-01\n".encode()  # 12: six fields
    body += b'person,"unterminated,,L,S,2026-01-01,\n'  # 13
    response = await client.post(IMPORTS, content=body, headers={**CSV, **auth("admin")})
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["accepted"], result["rejected"]) == (1, 11)
    assert _errors(result) == {
        3: {("id_number", "invalid_uscc")},
        4: {("id_number", "invalid_resident_id")},
        5: {("listed_on", "invalid_date")},
        6: {("listed_on", "invalid_date")},
        7: {("expires_on", "expires_before_listed")},
        8: {("list_name", "missing")},
        9: {("subject_type", "invalid_subject_type")},
        10: {("id_number", "invalid_resident_id"), ("listed_on", "missing")},
        11: {("list_name", "too_long")},
        12: {("line", "column_count")},
        13: {("line", "csv_malformed")},
    }
    messages = {row["line"]: row["errors"][0]["message"] for row in result["rejected_rows"]}
    assert "check character" in messages[3]
    assert "check digit" in messages[4]
    assert len(await _entries(session, result["import_id"])) == 1


async def test_a_json_lines_import(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    good = {
        "subject_type": "person",
        "id_number": PERSON,
        "name": "李四",
        "list_name": "失信被执行人",
        "source": "最高人民法院",
        "listed_on": "2026-04-01",
        "expires_on": None,
    }
    lines = [
        json.dumps(good, ensure_ascii=False),  # 1
        "",  # 2: blank lines are skipped but counted
        json.dumps({**good, "subject_type": "organization", "id_number": ORG, "name": None}),  # 3
        json.dumps({**good, "listed_on": "2026-13-01"}),  # 4
        "{not json",  # 5
        "[1, 2]",  # 6
        json.dumps({**good, "extra": "x"}),  # 7
        json.dumps({**good, "listed_on": 20260401}),  # 8
        json.dumps({k: v for k, v in good.items() if k not in ("name", "expires_on")}),  # 9
    ]
    body = "\n".join(lines).encode()  # no final newline
    response = await client.post(IMPORTS, content=body, headers={**NDJSON, **auth("admin")})
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["format"], result["accepted"], result["rejected"]) == ("ndjson", 3, 5)
    assert _errors(result) == {
        4: {("listed_on", "invalid_date")},
        5: {("line", "invalid_json")},
        6: {("line", "not_an_object")},
        7: {("extra", "unknown_field")},
        8: {("listed_on", "not_a_string")},
    }
    stored = await _entries(session, result["import_id"])
    assert sorted(e.subject_type for e in stored) == ["organization", "person", "person"]


async def test_crlf_a_bom_and_no_final_newline(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    body = (
        "\ufeffsubject_type,id_number,name,list_name,source,listed_on,expires_on\r\n"
        f"organization,{ORG},甲公司,失信联合惩戒对象,国家发展改革委,2026-01-01,2026-12-31\r\n"
        f"person,{PERSON},乙,失信被执行人,最高人民法院,2026-01-01,"
    ).encode()
    response = await client.post(IMPORTS, content=body, headers={**CSV, **auth("admin")})
    assert response.status_code == 201, response.text
    assert (response.json()["accepted"], response.json()["rejected"]) == (2, 0)
    stored = await _entries(session, response.json()["import_id"])
    assert {e.name for e in stored} == {"甲公司", "乙"}
    assert {str(e.expires_on) for e in stored} == {"2026-12-31", "None"}


@pytest.mark.parametrize("size", [1, 2, 3, 7])
async def test_lines_split_across_stream_chunks(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, size: int
) -> None:
    # Tiny chunks split the BOM, CRLF pairs and three-byte UTF-8 characters.
    body = (
        "\ufeffsubject_type,id_number,name,list_name,source,listed_on,expires_on\r\n"
        f'organization,{ORG},"某某有限公司, 分公司",失信联合惩戒对象,国家发展改革委,2026-01-01,\r\n'
        f"person,{wrong_check(PERSON)},张三,失信被执行人,最高人民法院,2026-01-01,\r\n"
        f"person,{PERSON},张三,失信被执行人,最高人民法院,2026-01-01,2026-12-31"
    ).encode()
    response = await client.post(
        IMPORTS, content=in_chunks(body, size), headers={**CSV, **auth("admin")}
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["accepted"], result["rejected"]) == (2, 1)
    assert _errors(result) == {3: {("id_number", "invalid_resident_id")}}
    stored = await _entries(session, result["import_id"])
    assert {e.name for e in stored} == {"某某有限公司, 分公司", "张三"}


async def test_an_overlong_or_undecodable_line_is_rejected_and_the_rest_imported(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    row = f"organization,{ORG},,失信联合惩戒对象,国家发展改革委,2026-01-01,\n".encode()
    body = (
        csv_body([])
        + b"person,x" * 4000  # line 2: 32,000 bytes without a newline
        + b"\n"
        + row  # 3
        + b"person,\xff\xfe,,L,S,2026-01-01,\n"  # 4: not UTF-8
        + row  # 5
    )
    response = await client.post(
        IMPORTS, content=in_chunks(body, 1000), headers={**CSV, **auth("admin")}
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["accepted"], result["rejected"]) == (2, 2)
    assert _errors(result) == {
        2: {("line", "line_too_long")},
        4: {("line", "invalid_encoding")},
    }


async def test_a_field_with_a_nul_character_rejects_its_row_only(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    rows = [
        ["organization", ORG, "", "失信联合惩戒对象", "国家发展改革委", "2026-01-01", ""],
        ["organization", ORG, "某\x00公司", "失信联合惩戒对象", "国家发展改革委", "2026-01-01", ""],
    ]
    csv_response = await client.post(
        IMPORTS, content=csv_body(rows), headers={**CSV, **auth("admin")}
    )
    line = {key: None for key in ("name", "expires_on")} | {
        "subject_type": "person",
        "id_number": PERSON,
        "list_name": "失信被执行人",
        "source": "最高人民法院\x00",
        "listed_on": "2026-01-01",
    }
    ndjson_response = await client.post(
        IMPORTS, content=json.dumps(line) + "\n", headers={**NDJSON, **auth("admin")}
    )
    assert csv_response.status_code == 201, csv_response.text
    assert ndjson_response.status_code == 201, ndjson_response.text
    assert _errors(csv_response.json()) == {3: {("name", "nul_character")}}
    assert _errors(ndjson_response.json()) == {1: {("source", "nul_character")}}
    assert csv_response.json()["accepted"] == 1


async def test_at_most_1000_rejected_rows_are_listed(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    bad = ("organization", wrong_check(ORG), "", "L", "S", "2026-01-01", "")
    response = await client.post(
        IMPORTS, content=csv_body([bad] * 1005), headers={**CSV, **auth("admin")}
    )
    assert response.status_code == 201, response.text
    result = response.json()
    assert (result["accepted"], result["rejected"]) == (0, 1005)
    assert len(result["rejected_rows"]) == 1000
    assert result["rejected_rows"][-1]["line"] == 1001
    assert result["rejected_rows_truncated"] is True


@pytest.mark.parametrize(
    "content_type",
    ["application/json", "text/plain", "text/csv; charset=gbk", None],
)
async def test_an_unsupported_content_type_is_415(
    client: httpx.AsyncClient, auth: TokenFactory, content_type: str | None
) -> None:
    headers = auth("admin")
    if content_type is not None:
        headers["Content-Type"] = content_type
    response = await client.post(IMPORTS, content=csv_body([]), headers=headers)
    _assert_problem(response, 415, "unsupported_media_type")


async def test_content_type_parameters_and_case_are_accepted(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    row = ("organization", ORG, "", "失信联合惩戒对象", "国家发展改革委", "2026-01-01", "")
    headers = {"Content-Type": "Text/CSV; charset=UTF-8", **auth("admin")}
    response = await client.post(IMPORTS, content=csv_body([row]), headers=headers)
    assert response.status_code == 201, response.text


@pytest.mark.parametrize(
    "header",
    [
        b"subject_type,id_number,name,list_name,source,listed_on\n",
        b"subject_type,id_number,name,list_name,source,listed_on,expires_on,note\n",
        b"subject_type,id_number,name,list_name,source,listed_on,listed_on\n",
        b"type,number,name,list,source,from,to\n",
    ],
)
async def test_a_csv_with_a_wrong_header_is_422(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession, header: bytes
) -> None:
    body = header + f"organization,{ORG},,L,S,2026-01-01,\n".encode()
    response = await client.post(IMPORTS, content=body, headers={**CSV, **auth("admin")})
    _assert_problem(response, 422, "import_header_invalid")
    assert "subject_type,id_number" in response.json()["detail"]
    # Nothing is kept of a refused import, not even its audit entry.
    audit = select(AuditEntry).where(AuditEntry.action == "joint_punishment.import")
    assert (await session.scalars(audit)).all() == []


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (b"", CSV),
        (b"\xef\xbb\xbf\r\n\r\n", CSV),
        (csv_body([]), CSV),
        (b"", NDJSON),
        (b"\n  \n", NDJSON),
    ],
)
async def test_an_empty_import_is_422(
    client: httpx.AsyncClient, auth: TokenFactory, body: bytes, headers: dict[str, str]
) -> None:
    response = await client.post(IMPORTS, content=body, headers={**headers, **auth("admin")})
    _assert_problem(response, 422, "import_empty")


async def test_only_an_admin_imports_or_reads_imports(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    body = csv_body([("organization", ORG, "", "L", "S", "2026-01-01", "")])
    anonymous = await client.post(IMPORTS, content=body, headers=CSV)
    _assert_problem(anonymous, 401, "not_authenticated")
    clerk = await client.post(IMPORTS, content=body, headers={**CSV, **auth("clerk")})
    _assert_problem(clerk, 403, "role_forbidden")
    created = await client.post(IMPORTS, content=body, headers={**CSV, **auth("admin")})
    url = f"{IMPORTS}/{created.json()['import_id']}"
    _assert_problem(await client.get(url, headers=auth("clerk")), 403, "role_forbidden")


async def test_an_unknown_import_is_404(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    response = await client.get(f"{IMPORTS}/{uuid.uuid4()}", headers=auth("admin"))
    _assert_problem(response, 404, "joint_punishment_import_not_found")


async def test_each_import_is_audited_once_with_its_counts(
    client: httpx.AsyncClient, auth: TokenFactory, session: AsyncSession
) -> None:
    body = csv_body(
        [
            ("organization", ORG, "", "失信联合惩戒对象", "国家发展改革委", "2026-01-01", ""),
            ("organization", wrong_check(ORG), "", "L", "S", "2026-01-01", ""),
        ]
    )
    headers = {**CSV, **auth("admin", sub="admin-zhang"), "X-Request-ID": "import-1"}
    result = (await client.post(IMPORTS, content=body, headers=headers)).json()
    audit = select(AuditEntry).where(AuditEntry.action == "joint_punishment.import")
    (entry,) = (await session.scalars(audit)).all()
    assert entry.actor == "admin-zhang"
    assert (entry.target_type, entry.target_id) == ("joint_punishment_import", result["import_id"])
    assert entry.details == {"format": "csv", "accepted": 1, "rejected": 1}
    assert entry.request_id == "import-1"


async def test_100000_rows_in_one_request(
    client: httpx.AsyncClient,
    auth: TokenFactory,
    session: AsyncSession,
    large_import: tuple[bytes, dict[int, tuple[str, str]]],
) -> None:
    body, bad_lines = large_import
    started = time.perf_counter()
    response = await client.post(
        IMPORTS, content=in_chunks(body, 64 * 1024), headers={**CSV, **auth("admin")}
    )
    elapsed = time.perf_counter() - started
    assert response.status_code == 201, response.text
    result = response.json()
    assert result["accepted"] == 100_000 - len(bad_lines)
    assert result["rejected"] == len(bad_lines)
    assert _errors(result) == {line: {error} for line, error in bad_lines.items()}
    stored = select(func.count()).where(
        JointPunishmentEntry.import_id == uuid.UUID(result["import_id"])
    )
    assert await session.scalar(stored) == result["accepted"]
    assert elapsed < 60, f"the import took {elapsed:.1f} s"


@pytest.fixture(scope="module")
def large_import() -> tuple[bytes, dict[int, tuple[str, str]]]:
    """100,000 rows, half organizations and half persons, four of them bad."""
    faults = {
        17: ("organization", "id_number", "invalid_uscc"),
        33_334: ("person", "id_number", "invalid_resident_id"),
        70_001: ("person", "expires_on", "expires_before_listed"),
        99_999: ("organization", "list_name", "missing"),
    }
    rows = []
    bad_lines: dict[int, tuple[str, str]] = {}
    for i in range(100_000):
        kind = "organization" if i % 2 else "person"
        number = valid_uscc(i) if kind == "organization" else valid_resident_id(i)
        row = [kind, number, f"主体{i}", "失信联合惩戒对象", "国家发展改革委", "2026-01-01", ""]
        if i in faults:
            kind, field, code = faults[i]
            row[0] = kind
            row[1] = valid_uscc(i) if kind == "organization" else valid_resident_id(i)
            if code.startswith("invalid_"):
                row[1] = wrong_check(row[1])
            elif code == "expires_before_listed":
                row[6] = "2025-12-31"
            else:
                row[3] = ""
            bad_lines[i + 2] = (field, code)
        rows.append(row)
    return csv_body(rows), bad_lines
