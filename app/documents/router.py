"""文书核验: the public lookup of a printed document by its verification code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import JSONResponse

from app.core.context import PublicContextDep
from app.core.db import SessionDep
from app.core.errors import problem_response, problem_responses
from app.documents import verification
from app.documents.errors import DocumentNotFound
from app.documents.schemas import VERIFY_PATH, PublicDocumentRead

public_router = APIRouter(prefix=VERIFY_PATH, tags=["documents"])

Code = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="核验码 as printed, e.g. `K7QM-4XJA-2VTR-6PLE` (case, spaces and hyphens "
        "do not matter).",
        examples=["K7QM-4XJA-2VTR-6PLE"],
    ),
]


@public_router.get(
    "/{code}",
    response_model=PublicDocumentRead,
    summary="Verify a printed document by its code (文书核验), no login",
    description=(
        "每份打印文书（失信制约认定告知书、整改告知书、一次性告知书、承诺书、信用承诺书、"
        "信用修复决定书、年度考核报告）印有核验码和二维码。本接口无需登录，回答文书种类、编号、"
        "出具机关、出具时间、所涉事项的当前状态（如名单其后已撤销、承诺已终止）和所出具 PDF "
        "文件的 SHA-256，从不返回文书中的个人信息。比对所持文件的 SHA-256 即可识别伪造或改动。"
        "The code is looked up by its SHA-256, one indexed read whatever the code; an unknown "
        "code is `404 document_not_found`. Limited per client (`ZWFW_VERIFICATION_RATE_LIMIT`, "
        "429 beyond); every lookup is audited with a prefix of the code's hash only."
    ),
    responses=problem_responses(404),
    openapi_extra={"security": []},
)
async def verify_document(
    request: Request, session: SessionDep, ctx: PublicContextDep, code: Code
) -> PublicDocumentRead | JSONResponse:
    answer = await verification.verify(session, ctx, code)
    if answer is not None:
        return answer
    # Answered, not raised: the audit entry of the lookup commits with the request.
    return problem_response(
        404,
        DocumentNotFound.code,
        "No document was issued with this code.",
        request_id=getattr(request.state, "request_id", None),
    )
