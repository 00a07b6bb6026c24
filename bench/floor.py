"""The work floor of a credit check: the SQL it must send, with raw asyncpg, no ORM.

``POST /credit-checks`` takes the body of ``POST /api/v1/credit-checks`` and, in one
transaction, performs the statements the service sends for it (as recorded by
``python -m bench.plans``): find the subject by identifier, the matter version in
effect, the agency's department, the consent, the subject's published listings and
active joint-punishment entries; insert the credit check; lock the audit chain, read
its head and append the audit entry. No rules, no validation beyond what the SQL
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

from app.audit.chain import GENESIS_HASH, ChainContent, entry_hash
from app.audit.repository import CHAIN_LOCK_KEY

SUBJECT = (
    "SELECT id, subject_type, id_number, id_number_secret, id_number_index, name, "
    "name_secret, name_index, address, address_secret, key_id, created_at, updated_at "
    "FROM subjects WHERE subject_type = $1 AND id_number_index = $2"
)
MATTER_VERSION = (
    "SELECT id, matter_code, version, effective_from, status, name, agency_code, "
    "regulator_code, onsite_verifier_code, excluded_categories, legal_basis, "
    "legal_liability, verification_power, other_notice, modes, created_by, created_at "
    "FROM matter_versions WHERE matter_code = $1 AND effective_from <= $2 "
    "ORDER BY version DESC LIMIT 1"
)
DEPARTMENT = (
    "SELECT code, name, region_code, profile, contact_phone, created_at, updated_at, version "
    "FROM departments WHERE code = $1"
)
CONSENT = (
    "SELECT id, subject_id, purpose, scope, method, granted_at, expires_on, evidence_ref, "
    "revoked_at, revocation_reason, recorded_by, department, created_at, version "
    "FROM consents WHERE id = $1"
)
LISTINGS = (
    "SELECT id, subject_id, status, situation, source_channel, facts, legal_basis, "
    "legal_documents, address, collecting_department, commitment_id, occurred_on, "
    "verified_on, notice_issued_on, notice_method, notice_late, notice_received_on, "
    "confirmed_on, published_on, rectified_on, lifted_on, withdrawn_on, rectification, "
    "deadlines, current_due_on, created_by, created_at, updated_at, version "
    "FROM restrictions WHERE subject_id = ANY($1::uuid[]) AND published_on IS NOT NULL"
)
JOINT_PUNISHMENT = (
    "SELECT id, subject_type, id_number, id_number_index, name, list_name, source, "
    "listed_on, expires_on, import_id, created_at FROM joint_punishment_entries "
    "WHERE subject_type = $1 AND id_number_index = $2 AND listed_on <= $3 "
    "AND (expires_on IS NULL OR expires_on >= $3) ORDER BY listed_on, list_name, id"
)
INSERT_CHECK = (
    "INSERT INTO credit_checks (id, subject_id, agent_id, matter_code, matter_version_id, "
    "mode, purpose, consent_id, result, eligible_modes, reasons, profile, checked_at, "
    "checked_on, valid_until, requested_by, department, created_at) VALUES "
    "($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, '[]', $10, $11, $12, $13, $14, $15, $11)"
)
LOCK_CHAIN = "SELECT pg_advisory_xact_lock($1)"
CHAIN_HEAD = "SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1"
INSERT_AUDIT = (
    "INSERT INTO audit_log (recorded_at, actor, roles, department, action, target_type, "
    "target_id, purpose, request_id, details, prev_hash, hash) VALUES "
    "($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id"
)
STATEMENTS = 10
TZ = ZoneInfo(os.environ.get("ZWFW_TIMEZONE", "Asia/Shanghai"))


def _identifier_index(subject_type: str, id_number: str) -> str:
    """The blind index the service looks identifiers up by (the keyed HMAC)."""
    from app.subjects.models import identifier_index

    return identifier_index(subject_type, id_number)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    from app.config import load_settings

    settings = load_settings()
    if getattr(settings, "data_key", None) is not None:
        from app import crypto

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
        department = await conn.fetchrow(DEPARTMENT, agency) if agency else None
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
            department["profile"] if department else "shandong-combined",
            now,
            today,
            today + timedelta(days=1),
            "floor",
            agency,
        )
        await conn.execute(LOCK_CHAIN, CHAIN_LOCK_KEY)
        prev_hash = await conn.fetchval(CHAIN_HEAD) or GENESIS_HASH
        content = ChainContent(
            recorded_at=datetime.now(UTC),
            actor="floor",
            roles=["clerk"],
            department=agency,
            action="credit_check.create",
            target_type="credit_check",
            target_id=str(check_id),
            purpose="credit_facilitation",
            request_id=uuid.uuid4().hex,
            details={"subject_id": str(subject["id"]), "result": result},
        )
        await conn.fetchval(
            INSERT_AUDIT,
            content.recorded_at,
            content.actor,
            json.dumps(content.roles),
            content.department,
            content.action,
            content.target_type,
            content.target_id,
            content.purpose,
            content.request_id,
            json.dumps(content.details),
            prev_hash,
            entry_hash(content, prev_hash),
        )
    return JSONResponse({"id": str(check_id), "result": result}, status_code=201)
