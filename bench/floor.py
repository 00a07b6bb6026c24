"""The work floor of a credit check: the SQL it must send, with raw asyncpg, no ORM.

``POST /credit-checks`` takes the body of ``POST /api/v1/credit-checks`` and, in one
transaction, performs the statements the service sends for it (as recorded by
``python -m bench.plans``): find the subject by identifier, the matter version in
effect with its agency's profile, the consent, the dates of the subject's published
listings and its active joint-punishment entries; insert the credit check and the audit
entry (chained after commit, by the worker). No rules, no validation beyond what the SQL
needs, no response model: what is left is the database work and the framework.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

SUBJECT = (
    "SELECT id, subject_type, id_number, id_number_secret, id_number_index, name, "
    "name_secret, name_index, address, address_secret, key_id, created_at, updated_at "
    "FROM subjects WHERE subject_type = $1 AND id_number_index = $2"
)
MATTER_VERSION = (
    "SELECT v.id, v.matter_code, v.version, v.effective_from, v.status, v.name, "
    "v.agency_code, v.regulator_code, v.onsite_verifier_code, v.excluded_categories, "
    "v.legal_basis, v.legal_liability, v.verification_power, v.other_notice, v.modes, "
    "v.created_by, v.created_at, d.profile FROM matter_versions v "
    "LEFT OUTER JOIN departments d ON d.code = v.agency_code "
    "WHERE v.matter_code = $1 AND v.effective_from <= $2 ORDER BY v.version DESC LIMIT 1"
)
CONSENT = (
    "SELECT id, subject_id, purpose, scope, method, granted_at, expires_on, evidence_ref, "
    "revoked_at, revocation_reason, recorded_by, department, created_at, version "
    "FROM consents WHERE id = $1"
)
LISTINGS = (
    "SELECT id, subject_id, situation, published_on, rectified_on, lifted_on, withdrawn_on, "
    "occurred_on FROM restrictions WHERE subject_id = ANY($1::uuid[]) "
    "AND published_on IS NOT NULL"
)
JOINT_PUNISHMENT = (
    "SELECT subject_type, id_number_index, list_name, source FROM joint_punishment_entries "
    "WHERE subject_type = $1 AND id_number_index = $2 AND listed_on <= $3 "
    "AND (expires_on IS NULL OR expires_on >= $3) ORDER BY listed_on, list_name, id"
)
INSERT_CHECK = (
    "INSERT INTO credit_checks (id, subject_id, agent_id, matter_code, matter_version_id, "
    "mode, purpose, consent_id, result, eligible_modes, reasons, profile, checked_at, "
    "checked_on, valid_until, requested_by, department, created_at) VALUES "
    "($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, '[]', $10, $11, $12, $13, $14, $15, $11)"
)
INSERT_AUDIT = (
    "INSERT INTO audit_log (recorded_at, actor, roles, department, action, target_type, "
    "target_id, purpose, request_id, details) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id"
)
STATEMENTS = 7
TZ = ZoneInfo(os.environ.get("ZWFW_TIMEZONE", "Asia/Shanghai"))


def _identifier_index(subject_type: str, id_number: str) -> str:
    """The blind index the service looks identifiers up by (the keyed HMAC)."""
    from app.subjects.models import identifier_index

    return identifier_index(subject_type, id_number)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    from app.core.config import load_settings

    settings = load_settings()
    if getattr(settings, "data_key", None) is not None:
        from app.privacy import crypto

        crypto.configure(settings.keyring())
    url = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
    # The service's pool: 10 connections, 10 more on demand.
    app.state.pool = await asyncpg.create_pool(url, min_size=10, max_size=20)
    yield
    await app.state.pool.close()


app = FastAPI(lifespan=lifespan)


@app.post("/credit-checks", status_code=201)
async def credit_check(request: Request) -> JSONResponse:
    body: dict[str, Any] = json.loads(await request.body())
    subject_in = body["subject"]
    subject_type = subject_in["subject_type"]
    id_number = subject_in["id_number"].replace(" ", "").upper()
    index = _identifier_index(subject_type, id_number)
    consent_id = uuid.UUID(body["consent_id"])
    now = datetime.now(UTC)
    today = now.astimezone(TZ).date()
    pool: asyncpg.Pool = request.app.state.pool
    async with pool.acquire() as conn, conn.transaction():
        subject = await conn.fetchrow(SUBJECT, subject_type, index)
        if subject is None:
            return JSONResponse({"detail": "unknown subject"}, status_code=404)
        version = await conn.fetchrow(MATTER_VERSION, body["matter_code"], now)
        agency = version["agency_code"] if version else None
        profile = version["profile"] if version else None
        consent = await conn.fetchrow(CONSENT, consent_id)
        listings = await conn.fetch(LISTINGS, [subject["id"]])
        hits = await conn.fetch(JOINT_PUNISHMENT, subject_type, index, today)
        result = "pass" if consent and not listings and not hits else "fail"
        check_id = uuid.uuid4()
        await conn.execute(
            INSERT_CHECK,
            check_id,
            subject["id"],
            body["matter_code"],
            version["id"] if version else None,
            body["mode"],
            body.get("purpose", "credit_facilitation"),
            consent_id if consent else None,
            result,
            json.dumps([body["mode"]] if result == "pass" else []),
            profile or "shandong-combined",
            now,
            today,
            today + timedelta(days=1),
            "floor",
            agency,
        )
        await conn.fetchval(
            INSERT_AUDIT,
            datetime.now(UTC),
            "floor",
            json.dumps(["clerk"]),
            agency,
            "credit_check.create",
            "credit_check",
            str(check_id),
            "credit_facilitation",
            uuid.uuid4().hex,
            json.dumps({"subject_id": str(subject["id"]), "result": result}),
        )
    return JSONResponse({"id": str(check_id), "result": result}, status_code=201)
