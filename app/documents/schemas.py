"""文书核验: what anyone holding a printed document can learn from its code."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

VERIFY_PATH = "/api/v1/public/documents"
VERIFICATION_NOTE = (
    "核对方法：计算所持 PDF 文件的 SHA-256，与 `sha256` 比对；一致即为本系统出具的原件。"
    "纸质件请核对文书种类、编号、出具机关和日期。Compare the SHA-256 of the file with `sha256`."
)
PDF_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {"application/pdf": {}},
        "description": "A4 PDF in Chinese, with its verification code (核验码) and QR code: "
        f"`GET {VERIFY_PATH}/{{code}}` answers who issued it, when, its state now and the "
        "SHA-256 of these bytes. The same content is served as the same bytes with the same "
        "code; changed content is a new document with a new code.",
    }
}


class DocumentKind(StrEnum):
    LISTING_NOTICE = "listing_notice"  # 政务服务失信制约认定告知书
    REPAIR_NOTICE = "repair_notice"  # 政务服务失信制约整改告知书
    CREDIT_REPAIR_COMMITMENT = "credit_repair_commitment"  # 信用承诺书（信用修复申请用）
    CREDIT_REPAIR_DECISION = "credit_repair_decision"  # 信用修复决定书
    COMMITMENT_NOTICE = "commitment_notice"  # 一次性告知书
    COMMITMENT_LETTER = "commitment_letter"  # 承诺书
    STATISTICS_REPORT = "statistics_report"  # 年度考核报告


class IssuerRead(BaseModel):
    department: str = Field(description="The issuing department's code.")
    name: str = Field(description="Its name when it issued the document.")


class DocumentStateRead(BaseModel):
    code: str = Field(description="The state now of what the document is about.")
    label: str = Field(description="In Chinese, e.g. 已撤销（移除）.")
    as_of: date = Field(description="The day the state was read.")


class PublicDocumentRead(BaseModel):
    """A registered document: what it is, who issued it and when, its number, the state
    now of what it is about, and the SHA-256 of the exact PDF bytes issued. Never the
    personal data the document holds."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "code": "K7QM-4XJA-2VTR-6PLE",
                    "kind": "listing_notice",
                    "title": "政务服务失信制约认定告知书",
                    "number": "0b6f2a3e-5c1d-4f7e-9a8b-1c2d3e4f5a6b",
                    "issued_by": {"department": "371400-SPJ", "name": "德州市行政审批服务局"},
                    "issued_at": "2026-10-12T01:30:00Z",
                    "issued_on": "2026-10-12",
                    "state": {
                        "code": "withdrawn",
                        "label": "已撤销（移除）",
                        "as_of": "2026-11-02",
                    },
                    "sha256": "9f2c8e1b7a6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c4b",
                    "note": VERIFICATION_NOTE,
                }
            ]
        }
    )

    code: str = Field(description="The verification code, grouped for reading.")
    kind: DocumentKind
    title: str
    number: str = Field(description="The document's number (编号) as printed.")
    issued_by: IssuerRead
    issued_at: datetime
    issued_on: date
    state: DocumentStateRead
    sha256: str = Field(description="SHA-256 (hex) of the exact PDF bytes issued.")
    note: str
