from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Path, Request, Response

from app.core.clock import ClockDep, legal_today
from app.core.config import Settings
from app.core.db import SessionDep
from app.core.errors import problem_responses
from app.joint_punishment import service
from app.joint_punishment.importing import COLUMNS, LIST_TYPE_CODES
from app.joint_punishment.schemas import (
    JointPunishmentImportRead,
    JointPunishmentImportResult,
    JointPunishmentRulesRead,
)
from app.joint_punishment.upload import ReceivedImportDep
from app.web.authz import Authorized
from app.web.idempotency.transaction import KeepingRoute

router = APIRouter(
    prefix="/api/v1/joint-punishment", tags=["joint-punishment"], route_class=KeepingRoute
)

ImportId = Annotated[uuid.UUID, Path(description="The import's id.")]

_CSV_EXAMPLE = (
    ",".join(COLUMNS) + ",list_type\n"
    "organization,91370100MA3C5LXK7K,某某食品有限公司,重大税收违法失信主体,国家税务总局,"
    "2026-03-01,2029-02-28,major_tax_violation\n"
    'person,110101199003070011,"张三, 法定代表人",失信被执行人,最高人民法院,2026-05-10,,\n'
)
_NDJSON_EXAMPLE = (
    '{"subject_type": "organization", "id_number": "91370100MA3C5LXK7K", '
    '"name": "某某食品有限公司", "list_name": "重大税收违法失信主体", '
    '"source": "国家税务总局", "listed_on": "2026-03-01", "expires_on": "2029-02-28", '
    '"list_type": "major_tax_violation"}\n'
)
_IMPORT_BODY = {
    "requestBody": {
        "required": True,
        "description": "The list as CSV (header row first) or as JSON lines, UTF-8.",
        "content": {
            "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
            "application/x-ndjson": {"schema": {"type": "string"}, "example": _NDJSON_EXAMPLE},
        },
    }
}


@router.post(
    "/imports",
    response_model=JointPunishmentImportResult,
    status_code=201,
    summary="Import joint punishment list entries (导入联合奖惩名单, admin)",
    description=(
        "Adds entries of the national joint reward and punishment lists (联合奖惩名单) to the "
        "local copy the credit check consults (LZ §3: 从其规定处理). The body is `text/csv` "
        "with the header `" + ",".join(COLUMNS) + "` (any column order; quoted fields may "
        "contain commas but not line breaks) or `application/x-ndjson`, one JSON object per "
        "line with the same keys. `subject_type` is `person` (居民身份证号码) or "
        "`organization` (统一社会信用代码); `listed_on` and `expires_on` are `YYYY-MM-DD`; an "
        "empty `expires_on` means open-ended. An optional column `list_type` (名单类型) names "
        "the list's type, whose memorandum says which facilitation a hit bars (LZ §3; "
        "`GET /api/v1/joint-punishment/list-types`): one of `"
        + "`, `".join(LIST_TYPE_CODES)
        + "` (another value rejects the row); left out or empty, the type is the one "
        "`list_name` is published under, else `unclassified`, which a credit check cannot "
        "apply (it is then `not_performed`) until the entry is imported with its type. Each "
        "row is validated "
        "on its own: valid rows are stored, invalid ones are reported by line number (the "
        "CSV header is line 1) with each field and reason, at most 1,000 of them. Very "
        "large files (100,000 rows and more) go in one request: the body is received into "
        "a temporary file first (先接收完整请求体), and only then read and written to the "
        "database, so a slow upload holds no database connection; a client that goes away "
        "before sending the whole body gets nothing written and no answer."
    ),
    responses=problem_responses(401, 403, 415, 422),
    openapi_extra=_IMPORT_BODY,
)
async def import_joint_punishment_entries(
    principal: Authorized,
    # Solved in this order: the body is received whole before the session opens.
    upload: ReceivedImportDep,
    session: SessionDep,
    clock: ClockDep,
    request: Request,
    response: Response,
) -> JointPunishmentImportResult:
    settings: Settings = request.app.state.settings
    result = await service.import_entries(
        session,
        principal,
        fmt=upload.format,
        chunks=upload.chunks(),
        today=legal_today(clock, settings.tz),
    )
    response.headers["Location"] = f"{router.prefix}/imports/{result.import_id}"
    return result


@router.get(
    "/imports/{import_id}",
    response_model=JointPunishmentImportRead,
    summary="Read an import (联合奖惩名单导入批次, admin)",
    description="Who imported, when, in which format, and how many rows were accepted.",
    responses=problem_responses(401, 403, 404, 422),
)
async def get_joint_punishment_import(
    session: SessionDep, _principal: Authorized, import_id: ImportId
) -> JointPunishmentImportRead:
    return await service.get_import(session, import_id)


@router.get(
    "/list-types",
    response_model=JointPunishmentRulesRead,
    summary="The joint punishment list types and what a hit bars (名单类型及其限制措施)",
    description=(
        "Public. LZ §3: a subject on a national joint reward and punishment list is handled "
        "as that list's memorandum (联合奖惩备忘录) provides. Each configured list type names "
        "its memorandum (as configuration; the document number only where confirmed) and "
        "the facilitation modes a hit bars and leaves open (`basis: deployment_choice`). "
        "`not_performed` states when a credit check is not completed rather than failed "
        "(DZ art. 6 ¶2; LZ §4(1)): the lists cannot be read, or a hit's type is unknown."
    ),
)
async def list_joint_punishment_list_types() -> JointPunishmentRulesRead:
    return service.list_type_rules()
