"""联合奖惩: the local copy of the national joint punishment lists and the lookup the
credit check uses (LZ §3: "对于纳入国家联合奖惩备忘录的申报主体，从其规定处理").
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterable, Sequence
from dataclasses import replace
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from app.audit.service import record
from app.core.db import new_id, utcnow
from app.core.errors import FieldError
from app.core.identifiers import SubjectType, normalize
from app.joint_punishment.adapter import JointPunishmentClient, JointPunishmentUnavailable
from app.joint_punishment.errors import (
    ImportEmpty,
    ImportHeaderInvalid,
    JointPunishmentImportNotFound,
)
from app.joint_punishment.importing import (
    CsvRowParser,
    EntryRow,
    ImportFormat,
    RowError,
    parse_csv_header,
    parse_json_row,
    read_lines,
    validate_row,
)
from app.joint_punishment.models import JointPunishmentImport
from app.joint_punishment.repository import ActiveHit, JointPunishmentRepository, NewEntry
from app.joint_punishment.schemas import (
    JointPunishmentImportRead,
    JointPunishmentImportResult,
    JointPunishmentRulesRead,
    RejectedRow,
)
from app.rules.eligibility import (
    UNDETERMINED,
    CheckResult,
    JointPunishmentHit,
    JointPunishmentLookup,
    Party,
)
from app.rules.joint_punishment import (
    LIST_TYPE_RULES,
    NOT_PERFORMED_CITATIONS,
    NOT_PERFORMED_DESCRIPTION_EN,
    NOT_PERFORMED_DESCRIPTION_ZH,
    list_type_of,
)
from app.subjects.models import identifier_index, identifier_indexer
from app.web.auth import Principal

logger = logging.getLogger("app.joint_punishment")

# Rows written at a time: enough to make each COPY (or INSERT) cheap, few enough that the
# memory an import holds stays small and flat however long the body.
INSERT_BATCH_SIZE = 5000
MAX_REPORTED_REJECTIONS = 1000


class _Importer:
    """Accepted rows go to the database in batches; rejected rows into a capped report.

    A batch is written while the next one is read and checked: the database works on one
    core while this process works on the other. At most one batch is in flight, and the
    session is used by nothing else meanwhile.
    """

    def __init__(self, repository: JointPunishmentRepository, batch: JointPunishmentImport) -> None:
        self.repository = repository
        self.batch = batch
        self.pending: list[NewEntry] = []
        self.writing: asyncio.Task[None] | None = None
        self.accepted = 0
        self.rejected = 0
        self.rejected_rows: list[RejectedRow] = []
        self.index = {
            subject_type: identifier_indexer(subject_type.value) for subject_type in SubjectType
        }

    def accept(self, row: EntryRow) -> bool:
        """Queue an accepted row; True when a batch is due to be flushed."""
        self.pending.append(
            (
                row.subject_type.value,
                row.id_number,
                self.index[row.subject_type](row.id_number),
                row.name,
                row.list_name,
                row.source,
                row.listed_on,
                row.expires_on,
                row.list_type.value,
            )
        )
        self.accepted += 1
        return len(self.pending) >= INSERT_BATCH_SIZE

    def reject(self, line: int, errors: Sequence[RowError]) -> None:
        self.rejected += 1
        if len(self.rejected_rows) < MAX_REPORTED_REJECTIONS:
            self.rejected_rows.append(
                RejectedRow(
                    line=line,
                    errors=[
                        FieldError(field=e.field, code=e.code, message=e.message) for e in errors
                    ],
                )
            )

    async def flush(self) -> None:
        """Start writing the queued rows, once the batch before them is written."""
        await self.written()
        if self.pending:
            self.writing = asyncio.create_task(
                self.repository.insert_entries(self.batch.id, self.batch.created_at, self.pending)
            )
            self.pending = []

    async def written(self) -> None:
        """Wait for the batch in flight; its database error is raised here. The wait is
        shielded: a cancelled import leaves the write to :meth:`abandon`, never cuts it
        off in the middle of a COPY."""
        if self.writing is not None:
            await asyncio.shield(self.writing)
            self.writing = None

    async def abandon(self) -> None:
        """Let the batch in flight end (the import fails for another reason, or is
        cancelled), so that the rollback never overlaps a write on the same connection."""
        if self.writing is not None:
            writing, self.writing = self.writing, None
            await asyncio.wait([writing])
            if not writing.cancelled():
                writing.exception()  # retrieved: the other error is the one reported


async def import_entries(
    session: AsyncSession,
    principal: Principal,
    *,
    fmt: ImportFormat,
    chunks: AsyncIterable[bytes],
    today: date,
) -> JointPunishmentImportResult:
    """Bulk import (批量导入) from a CSV or JSON-lines stream, validated row by row.

    Accepted rows are inserted in batches as ``chunks`` are read (over HTTP, from the
    body already received into a file: :mod:`app.joint_punishment.upload`); the body is
    never held whole. ``today`` is the legal date used to check citizens' birth dates.
    """
    repository = JointPunishmentRepository(session)
    batch = JointPunishmentImport(
        id=new_id(),
        format=fmt.value,
        accepted=0,
        rejected=0,
        imported_by=principal.sub,
        department=principal.department,
        created_at=utcnow(),
    )
    repository.add_import(batch)
    await session.flush()

    importer = _Importer(repository, batch)
    try:
        header_read = await _read_rows(importer, fmt, chunks, today)
        await importer.flush()
        await importer.written()
    except BaseException:
        await importer.abandon()
        raise

    if fmt is ImportFormat.csv and not header_read:
        raise ImportEmpty("The body is empty: send a header line and at least one row.")
    if importer.accepted + importer.rejected == 0:
        raise ImportEmpty("The body has no rows.")

    batch.accepted = importer.accepted
    batch.rejected = importer.rejected
    await session.flush()
    await record(
        session,
        principal,
        action="joint_punishment.import",
        target_type="joint_punishment_import",
        target_id=str(batch.id),
        purpose="import the national joint punishment lists",
        details={"format": fmt.value, "accepted": importer.accepted, "rejected": importer.rejected},
    )
    return JointPunishmentImportResult(
        import_id=batch.id,
        format=fmt,
        accepted=importer.accepted,
        rejected=importer.rejected,
        rejected_rows=importer.rejected_rows,
        rejected_rows_truncated=importer.rejected > len(importer.rejected_rows),
    )


async def _read_rows(
    importer: _Importer, fmt: ImportFormat, chunks: AsyncIterable[bytes], today: date
) -> bool:
    """Check each line of the body and hand it to ``importer``; False if a CSV body had
    no header line."""
    csv_rows: CsvRowParser | None = None
    async for line in read_lines(chunks):
        if line.problem is None and not line.text.strip():
            continue
        if fmt is ImportFormat.csv and csv_rows is None:
            if line.problem is not None:
                raise ImportHeaderInvalid("The header line cannot be read: " + line.problem.message)
            csv_rows = CsvRowParser(parse_csv_header(line.text))
            continue
        if line.problem is not None:
            importer.reject(line.number, [line.problem])
            continue
        values = csv_rows.parse(line.text) if csv_rows is not None else parse_json_row(line.text)
        if isinstance(values, RowError):
            values = [values]
        if isinstance(values, list):
            importer.reject(line.number, values)
            continue
        checked = validate_row(values, today)
        if isinstance(checked, list):
            importer.reject(line.number, checked)
        elif importer.accept(checked):
            await importer.flush()
    return fmt is not ImportFormat.csv or csv_rows is not None


def list_type_rules() -> JointPunishmentRulesRead:
    """Each configured list type with its memorandum and what a hit bars; and the rule of
    a check that could not be completed."""
    return JointPunishmentRulesRead.model_validate(
        {
            "list_types": [rule.to_dict() for rule in LIST_TYPE_RULES.values()],
            "not_performed": {
                "result": CheckResult.NOT_PERFORMED,
                "next_step": "ordinary",
                "reason_codes": sorted(code.value for code in UNDETERMINED),
                "citations": [c.to_dict() for c in NOT_PERFORMED_CITATIONS],
                "description_zh": NOT_PERFORMED_DESCRIPTION_ZH,
                "description_en": NOT_PERFORMED_DESCRIPTION_EN,
            },
        }
    )


async def get_import(session: AsyncSession, import_id: uuid.UUID) -> JointPunishmentImportRead:
    batch = await JointPunishmentRepository(session).get_import(import_id)
    if batch is None:
        raise JointPunishmentImportNotFound(f"No joint punishment import {import_id}.")
    return JointPunishmentImportRead.model_validate(batch)


async def lookup_joint_punishment(
    session: AsyncSession,
    client: JointPunishmentClient | None,
    parties: Sequence[tuple[Party, SubjectType, str]],
    as_of: date,
) -> JointPunishmentLookup:
    """Consult the joint punishment lists (查询联合奖惩名单) for each party on ``as_of``.

    Local entries active on ``as_of`` come from one query for all parties. When an
    external service is configured it is asked too, for each party; if it cannot be
    consulted the result is ``consulted=False`` (the credit check is then not performed,
    ``joint_punishment_unavailable``), still carrying the local hits. Each hit carries its
    list type, which says what it bars.
    """
    normalized = [
        (party, subject_type, normalize(number)) for party, subject_type, number in parties
    ]
    keys = [
        (subject_type.value, identifier_index(subject_type.value, number))
        for _, subject_type, number in normalized
    ]
    rows = await JointPunishmentRepository(session).active_hits_for(keys, as_of)
    hits = local_hits([party for party, _, _ in normalized], keys, rows)
    return await consult_service(client, normalized, as_of, hits)


def local_hits(
    parties: Sequence[Party], keys: Sequence[tuple[str, str]], rows: Sequence[ActiveHit]
) -> list[JointPunishmentHit]:
    """The hits of the local lists: each party's (type, blind index) key matched against
    the active entries read for all of them, in the order read."""
    hits: list[JointPunishmentHit] = []
    for party, key in zip(parties, keys, strict=True):
        hits.extend(
            JointPunishmentHit(
                list_name=row.list_name,
                source=row.source,
                party=party,
                list_type=list_type_of(row.list_name, row.list_type),
            )
            for row in rows
            if (row.subject_type, row.id_number_index) == key
        )
    return hits


async def consult_service(
    client: JointPunishmentClient | None,
    normalized: Sequence[tuple[Party, SubjectType, str]],
    as_of: date,
    hits: list[JointPunishmentHit],
) -> JointPunishmentLookup:
    """The local ``hits`` and, when an external service is configured, its answers for
    each party (see :func:`lookup_joint_punishment`)."""
    consulted = True
    if client is not None and normalized:
        answers = await asyncio.gather(
            *(client.lookup(subject_type, number, as_of) for _, subject_type, number in normalized),
            return_exceptions=True,
        )
        for (party, _, _), answer in zip(normalized, answers, strict=True):
            if isinstance(answer, JointPunishmentUnavailable):
                consulted = False
                logger.warning(
                    "joint punishment service unavailable",
                    extra={"party": party.value, "reason": answer.reason},
                )
            elif isinstance(answer, BaseException):
                raise answer
            else:
                hits.extend(replace(hit, party=party) for hit in answer)
    return JointPunishmentLookup(consulted=consulted, hits=tuple(dict.fromkeys(hits)))
