"""Codes and deadline explanations on the other printed documents, and the rendering
they rest on: the same document renders the same bytes.

The commitment of tests/commitments/conftest.py is signed Wed 2026-09-30 with 10 working
days to supplement: Oct 1-7 National Day off; Thu 8 (1), Fri 9 (2), make-up Sat 10 (3),
Sun 11 off, Mon 12 - Fri 16 (4-8), Sat 17 and Sun 18 off, Mon 19 (9), Tue 20 (10).
"""

from __future__ import annotations

import hashlib
from datetime import date

import httpx

from app.documents.pdf import DeadlineLine, Document, Section, Verification, render_pdf
from tests.commitments.conftest import commitment
from tests.conftest import TokenFactory
from tests.factories import ORG_ID, ok
from tests.verification.test_verification import code_of, pdf_text

SUPPLEMENT_LINE = (
    "自2026年9月30日起10个工作日：10月1日至7日国庆节假期不计，10月10日调休上班计入，"
    "周末3日不计，至2026年10月20日"
)


async def test_the_one_time_notice_explains_its_deadline_and_verifies(
    client: httpx.AsyncClient, auth: TokenFactory
) -> None:
    case = await commitment(client, auth, "tolerance")
    url = f"/api/v1/commitments/{case['id']}"
    notice = (await client.get(f"{url}/notice.pdf", headers=auth("clerk"))).content
    text = pdf_text(notice)
    assert f"补齐补正期限：{SUPPLEMENT_LINE}" in text
    body = await ok(await client.get(f"/api/v1/public/documents/{code_of(notice)}"), 200)
    assert body["kind"] == "commitment_notice"
    assert body["title"] == "容缺受理一次性告知书"
    assert f"编号：{body['number']}" in text  # the number the notice prints
    assert body["number"].startswith("371400-SPJ-GZ-")
    assert body["sha256"] == hashlib.sha256(notice).hexdigest()
    assert body["state"]["code"] == "accepted"
    assert ORG_ID not in str(body)

    letter = (await client.get(f"{url}/letter.pdf", headers=auth("clerk"))).content
    assert SUPPLEMENT_LINE in pdf_text(letter)
    answer = await ok(await client.get(f"/api/v1/public/documents/{code_of(letter)}"), 200)
    assert answer["kind"] == "commitment_letter"
    assert f"编号：{answer['number']}" in pdf_text(letter)
    assert answer["number"].startswith("371400-SPJ-CN-")
    assert answer["sha256"] == hashlib.sha256(letter).hexdigest()
    assert code_of(letter) != code_of(notice)
    read = await ok(await client.get(url, params={"explain": "true"}, headers=auth("clerk")), 200)
    (supplement,) = [d for d in read["deadlines"]["details"] if d["name"] == "supplement_due"]
    assert supplement["explanation"]["summary"] == SUPPLEMENT_LINE


async def test_the_annual_report_verifies(client: httpx.AsyncClient, auth: TokenFactory) -> None:
    await commitment(client, auth, "tolerance")
    params: dict[str, str | int] = {"department": "371400-SPJ", "year": 2026}
    report = await client.get("/api/v1/statistics/report.pdf", params=params, headers=auth("admin"))
    assert report.status_code == 200
    body = await ok(await client.get(f"/api/v1/public/documents/{code_of(report.content)}"), 200)
    assert (body["kind"], body["number"]) == ("statistics_report", "371400-SPJ-2026")
    assert body["state"]["code"] == "issued"
    assert body["sha256"] == hashlib.sha256(report.content).hexdigest()
    again = await client.get("/api/v1/statistics/report.pdf", params=params, headers=auth("admin"))
    assert again.content == report.content


def _document(**overrides: object) -> Document:
    values: dict[str, object] = {
        "title": "政务服务失信制约认定告知书",
        "reference": "编号：1",
        "fields": (("认定依据", "临政管办发〔2022〕3号"),),
        "sections": (Section("告知事项", paragraphs=("拟列入。",)),),
        "deadlines": (
            DeadlineLine(
                "提出陈述和申辩的期限",
                date(2026, 10, 10),
                False,
                "民法典 art. 201",
                "自2026年9月30日起3个工作日：10月1日至7日国庆节假期不计，"
                "10月10日调休上班计入，至2026年10月10日",
            ),
        ),
        "dated": date(2026, 9, 30),
    }
    values.update(overrides)
    return Document(**values)  # type: ignore[arg-type]


def test_the_same_document_renders_the_same_bytes() -> None:
    verification = Verification("ABCD-EFGH-IJKL-MNOP", "http://t/api/v1/public/documents/ABCD")
    first = render_pdf(_document(verification=verification))
    assert render_pdf(_document(verification=verification)) == first
    assert render_pdf(_document()) != first
    text = pdf_text(first)
    assert "文书核验码：ABCD-EFGH-IJKL-MNOP" in text
    assert "可通过 http://t/api/v1/public/documents/ABCD" in text
    assert "提出陈述和申辩的期限：自2026年9月30日起3个工作日" in text


def test_a_document_without_a_code_or_explanation_prints_as_before() -> None:
    line = DeadlineLine("期限", date(2026, 10, 10), True, "民法典 art. 201")
    text = pdf_text(render_pdf(_document(deadlines=(line,))))
    assert "核验码" not in text
    assert "2026年10月10日（暂定）" in text
