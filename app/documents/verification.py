"""文书核验: every printed document carries a verification code and its QR code.

The first print of a content registers it: a fresh code of 80 random bits (16 base32
characters, printed in groups of four), the SHA-256 of the exact PDF bytes, the kind,
number, issuer, issue time and the entity it documents (by id). PDFs are rendered in
reportlab's invariant mode, so the same content renders the same bytes: a later print
of unchanged content reuses the code and serves identical bytes; changed content (a
determination date added, another day's date) is a new document with a new code.

``GET /api/v1/public/documents/{code}`` looks the code up by its SHA-256 (one indexed
read, whatever the code), answers the facts and the state now of what the document is
about (each domain registers how to read it), never personal data, and audits the
lookup with a prefix of the code's hash only.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.context import Context
from app.documents.fonts import document_font
from app.documents.models import IssuedDocument
from app.documents.pdf import Document, Verification, render_pdf
from app.documents.repository import IssuedDocumentRepository
from app.documents.schemas import (
    VERIFICATION_NOTE,
    VERIFY_PATH,
    DocumentKind,
    DocumentStateRead,
    IssuerRead,
    PublicDocumentRead,
)

CODE_BYTES = 10  # 80 bits
CODE_GROUP = 4
AUDIT_HASH_PREFIX = 12
_NOT_CODE = re.compile(r"[\s\-]")

StateReader = Callable[[AsyncSession, str, Context], Awaitable[DocumentStateRead]]
_STATES: dict[DocumentKind, StateReader] = {}


def register_state(kinds: tuple[DocumentKind, ...], reader: StateReader) -> None:
    """How to read the state now of what documents of ``kinds`` are about (by entity id)."""
    for kind in kinds:
        _STATES[kind] = reader


def new_code() -> str:
    """16 base32 characters (80 random bits), grouped ``XXXX-XXXX-XXXX-XXXX``."""
    raw = base64.b32encode(secrets.token_bytes(CODE_BYTES)).decode("ascii")
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, len(raw), CODE_GROUP))


def code_hash(code: str) -> str:
    """SHA-256 of the code as typed, ignoring case, spaces and hyphens."""
    return hashlib.sha256(_NOT_CODE.sub("", code).upper().encode("utf-8")).hexdigest()


def verification_url(base_url: str, code: str) -> str:
    return f"{base_url.rstrip('/')}{VERIFY_PATH}/{code}"


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True, slots=True)
class Issue:
    """What is registered with a document: ``content`` is its text (its fingerprint's
    source: the same content, the same document)."""

    kind: DocumentKind
    entity_id: str
    number: str
    department: str
    department_name: str
    title: str
    content: str


async def issue_document(
    session: AsyncSession,
    ctx: Context,
    kind: DocumentKind,
    entity_id: str,
    number: str,
    issuer: tuple[str, str],
    document: Document,
) -> bytes:
    """``document`` rendered in the deployment's font with its verification code
    (``issuer``: the issuing department's code and name)."""
    font = document_font(ctx.settings.report_font).name
    return await issue_pdf(
        session,
        ctx,
        Issue(kind, entity_id, number, issuer[0], issuer[1], document.title, repr(document)),
        lambda verification: render_pdf(replace(document, verification=verification), font),
    )


async def issue_pdf(
    session: AsyncSession, ctx: Context, issue: Issue, render: Callable[[Verification], bytes]
) -> bytes:
    """The PDF of ``issue`` with its verification code: the registered one when the same
    content renders the same bytes again, else a new code, registered."""
    repository = IssuedDocumentRepository(session)
    fingerprint = hashlib.sha256(f"{issue.kind}\n{issue.content}".encode()).hexdigest()
    base = ctx.settings.public_base_url
    known = await repository.get_latest_for_content(issue.kind, issue.entity_id, fingerprint)
    if known is not None:
        content = render(Verification(known.code, verification_url(base, known.code)))
        if sha256_hex(content) == known.sha256:
            return content
    code = new_code()
    content = render(Verification(code, verification_url(base, code)))
    row = IssuedDocument(
        code_hash=code_hash(code),
        code=code,
        kind=issue.kind.value,
        entity_id=issue.entity_id,
        number=issue.number,
        department=issue.department,
        department_name=issue.department_name,
        title=issue.title,
        issued_at=ctx.now,
        issued_on=ctx.today,
        fingerprint=fingerprint,
        sha256=sha256_hex(content),
    )
    repository.add(row)
    await session.flush()
    await record(
        session,
        ctx.principal,
        action="document.issue",
        target_type="issued_document",
        target_id=str(row.id),
        purpose="print",
        details={"kind": issue.kind.value, "entity_id": issue.entity_id, "sha256": row.sha256},
    )
    return content


async def verify(session: AsyncSession, ctx: Context, code: str) -> PublicDocumentRead | None:
    """The public answer for ``code``, or None; audited either way (hash prefix only)."""
    digest = code_hash(code)
    row = await IssuedDocumentRepository(session).get_by_code_hash(digest)
    await record(
        session,
        ctx.principal,
        action="document.verify",
        target_type="issued_document",
        target_id=str(row.id) if row is not None else "unknown",
        purpose="public verification",
        details={"code_sha256_prefix": digest[:AUDIT_HASH_PREFIX], "found": row is not None},
    )
    if row is None:
        return None
    kind = DocumentKind(row.kind)
    reader = _STATES.get(kind)
    state = (
        await reader(session, row.entity_id, ctx)
        if reader is not None
        else DocumentStateRead(code="issued", label="已出具", as_of=ctx.today)
    )
    return PublicDocumentRead(
        code=row.code,
        kind=kind,
        title=row.title,
        number=row.number,
        issued_by=IssuerRead(department=row.department, name=row.department_name),
        issued_at=row.issued_at,
        issued_on=row.issued_on,
        state=state,
        sha256=row.sha256,
        note=VERIFICATION_NOTE,
    )
