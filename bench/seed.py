"""Build a benchmark database: the schema by the migrations, the demo catalog and the
calendar through the app, then generated data loaded with COPY.

    python -m bench.seed small|large [--force]

Creates ``zwfw_bench_<scale>`` (dropped and made again when ``--force`` is given or its
fingerprint does not match; ``--drop`` drops both benchmark databases), and writes
``var/bench/zwfw_bench_<scale>.load.json``: the subjects the load checks, with their
consents, and the identifiers the public list is searched by. Identifiers are valid
(check characters from python-stdnum); dates are relative to today in the service's
time zone, so a database is reused on the day it was made only.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import random
import subprocess
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
from stdnum.cn import ric as stdnum_ric
from stdnum.cn import uscc as stdnum_uscc

from bench.common import (
    BENCH_DIR,
    ROOT,
    VENV_BIN,
    WORK_DIR,
    Scale,
    configure_in_process,
    database_url,
    dsn,
    key_settings,
    say,
    scale,
    service_env,
)

# Bump when the generated data changes shape, so existing databases are rebuilt.
SEED_FORMAT = 3

_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Region codes: organisations in Dezhou and Zibo; citizens born where python-stdnum's
# region table knows the code (an unknown one only adds a warning to the answer).
ORG_REGIONS = ("371400", "371402", "371403", "371421", "370305", "370303")
PERSON_REGIONS = ("370305", "370303", "370302", "370304", "370306", "370102")
# Identifiers of people and organisations that are not subjects start here (the joint
# punishment lists name many who never applied for anything here).
FOREIGN_OFFSET = 10_000_000

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
)
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉海燕鹏辉"
ORG_CITIES = ("德州市", "临淄区", "德城区", "淄博市", "陵城区", "齐河县")
ORG_WORDS = ("鑫源", "华泰", "瑞丰", "德润", "恒信", "齐鲁", "泰和", "永盛", "佳美", "宏达")
ORG_TRADES = (
    "食品有限公司",
    "餐饮管理有限公司",
    "建筑工程有限公司",
    "医药连锁有限公司",
    "物流有限公司",
    "商贸有限公司",
    "诊所",
    "运输有限公司",
)
STREETS = ("新湖大街", "天衢路", "东风路", "三八路", "齐都路", "临淄大道", "解放路")
LIST_NAMES = (
    ("失信被执行人", "最高人民法院"),
    ("重大税收违法失信主体", "国家税务总局"),
    ("严重违法失信企业名单", "国家市场监督管理总局"),
    ("拖欠农民工工资失信联合惩戒对象名单", "人力资源和社会保障部"),
    ("安全生产严重失信主体名单", "应急管理部"),
)
SITUATIONS = (
    "identity_fraud",
    "false_materials",
    "tolerance_unfulfilled",
    "commitment_untrue",
    "other",
)
SOURCE_CHANNELS = ("investigation", "platform_query", "supervision_push", "public_report")
LEGAL_BASIS = (
    "《临淄区建立政务服务“失信制约”制度 打造信用极简审批新模式实施方案（试行）》"
    "第五条第（一）项第2目"
)
# (status, weight, closed); the open ones are the departments' work (GET /api/v1/tasks).
TOLERANCE_STATUSES = (
    ("completed", 68, True),
    ("accepted", 8, False),
    ("overdue", 3, False),
    ("reminded", 3, False),
    ("supplemented", 4, False),
    ("terminated", 5, True),
    ("withdrawn", 9, True),
)
NOTIFY_STATUSES = (
    ("fulfilled", 62, True),
    ("committed", 5, False),
    ("decided", 10, False),
    ("verifying", 8, False),
    ("rectification_ordered", 2, False),
    ("revoked", 4, True),
    ("withdrawn", 9, True),
)
OUTCOMES = {
    "completed": "fulfilled",
    "fulfilled": "fulfilled",
    "terminated": "terminated",
    "revoked": "revoked",
    "withdrawn": "withdrawn",
}
AFFIRMATIONS = (
    "knows_notice",
    "meets_conditions",
    "materials_true",
    "true_intention",
    "accepts_liability",
)


# --- identifiers -------------------------------------------------------------------------


def _base31(number: int, width: int) -> str:
    digits = []
    for _ in range(width):
        number, rest = divmod(number, 31)
        digits.append(_USCC_ALPHABET[rest])
    return "".join(reversed(digits))


def org_id(index: int) -> str:
    """A valid 统一社会信用代码, distinct for every index."""
    first17 = "91" + ORG_REGIONS[index % len(ORG_REGIONS)] + _base31(index, 9)
    return first17 + stdnum_uscc.calc_check_digit(first17)


_BIRTH_START = date(1950, 1, 1)


def person_id(index: int) -> str:
    """A valid 居民身份证号码, distinct for every index below 120,000,000."""
    region = PERSON_REGIONS[index % len(PERSON_REGIONS)]
    rest = index // len(PERSON_REGIONS)
    born = _BIRTH_START + timedelta(days=rest // 1000)
    first17 = f"{region}{born:%Y%m%d}{rest % 1000:03d}"
    return first17 + stdnum_ric.calc_check_digit(first17 + "0")


def is_person(index: int) -> bool:
    """Three subjects in ten are citizens, the rest organisations."""
    return index % 10 < 3


def identifier(index: int) -> tuple[str, str]:
    if is_person(index):
        return "person", person_id(index)
    return "organization", org_id(index)


def person_name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))


def org_name(rng: random.Random) -> str:
    return (
        rng.choice(ORG_CITIES)
        + rng.choice(ORG_WORDS)
        + rng.choice(ORG_WORDS)
        + rng.choice(ORG_TRADES)
    )


def subject_name(index: int) -> str:
    """The name of subject ``index`` (the same on every call)."""
    rng = random.Random(index)
    return person_name(rng) if is_person(index) else org_name(rng)


def address(rng: random.Random) -> str:
    return f"山东省{rng.choice(ORG_CITIES)}{rng.choice(STREETS)}{rng.randint(1, 999)}号"


# --- rows ----------------------------------------------------------------------------------


def new_uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


@dataclass(slots=True)
class Catalog:
    """The demo catalog as the database holds it."""

    departments: list[str]
    profiles: dict[str, str]
    # matter code -> (version id, agency code, modes)
    matters: dict[str, tuple[uuid.UUID, str, list[str]]]


@dataclass(slots=True)
class Plan:
    """Which subjects get what; indexes into the subject list."""

    scale: Scale
    today: date
    now: datetime
    subject_ids: list[uuid.UUID]
    load: list[int]
    listed: list[int]
    consent_of: dict[int, uuid.UUID] = field(default_factory=dict)


class ModelRows:
    """Rows of one model's table for COPY, from values keyed by the model's attributes.

    Each value goes through its column type as SQLAlchemy would bind it (encryption of
    personal data, UTC timestamps, JSON), so the rows are what the service writes.
    """

    def __init__(self, model: Any) -> None:
        from sqlalchemy import JSON
        from sqlalchemy.dialects.postgresql.asyncpg import dialect
        from sqlalchemy.types import TypeDecorator

        self.table: str = model.__table__.name
        self.keys: list[str] = []
        self.columns: list[str] = []
        self.required: set[str] = set()
        self.converters: list[Callable[[Any], Any] | None] = []
        # A column the generator leaves out gets the model's scalar default, as an insert
        # through the ORM would (COPY applies no default of its own to a listed column).
        self.defaults: dict[str, Any] = {}
        bind_dialect = dialect()  # type: ignore[no-untyped-call]
        for attr in model.__mapper__.column_attrs:
            column = attr.columns[0]
            if column.default is not None and column.default.is_scalar:
                self.defaults[attr.key] = column.default.arg
            self.keys.append(attr.key)
            self.columns.append(column.name)
            if not column.nullable and column.server_default is None:
                self.required.add(attr.key)
            kind = column.type
            process = None
            if isinstance(kind, TypeDecorator):
                process = kind.process_bind_param
                kind = kind.impl_instance
            as_json = isinstance(kind, JSON)
            self.converters.append(_converter(process, as_json, bind_dialect))

    def check(self, values: dict[str, Any]) -> None:
        unknown = sorted(set(values) - set(self.keys))
        missing = sorted(k for k in self.required if values.get(k, self.defaults.get(k)) is None)
        if unknown or missing:
            raise SystemExit(
                f"{self.table}: the generated rows no longer match the model "
                f"(unknown attributes {unknown}, required attributes missing {missing}); "
                "update bench/seed.py"
            )

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        return tuple(
            value if convert is None or value is None else convert(value)
            for value, convert in zip(
                (values.get(key, self.defaults.get(key)) for key in self.keys),
                self.converters,
                strict=True,
            )
        )


def _converter(
    process: Callable[[Any, Any], Any] | None, as_json: bool, bind_dialect: Any
) -> Callable[[Any], Any] | None:
    if process is None and not as_json:
        return None
    if process is None:
        return json.dumps
    if as_json:
        return lambda value: json.dumps(process(value, bind_dialect))
    return lambda value: process(value, bind_dialect)


async def copy_model(
    conn: asyncpg.Connection,
    model: Any,
    values: Iterable[dict[str, Any]],
    *,
    batch: int = 20_000,
) -> int:
    """COPY the rows of ``model`` given as attribute dicts; the first is checked
    against the model, so a changed schema stops the seed with a clear message."""
    rows = ModelRows(model)
    count = 0
    chunk: list[tuple[Any, ...]] = []
    for item in values:
        if count == 0 and not chunk:
            rows.check(item)
        chunk.append(rows.row(item))
        if len(chunk) >= batch:
            await conn.copy_records_to_table(rows.table, records=chunk, columns=rows.columns)
            count += len(chunk)
            chunk = []
    if chunk:
        await conn.copy_records_to_table(rows.table, records=chunk, columns=rows.columns)
        count += len(chunk)
    return count


def subject_values(
    subject_id: uuid.UUID,
    subject_type: str,
    id_number: str,
    name: str,
    address: str | None,
    created: datetime,
) -> dict[str, Any]:
    """A subject's attributes, through the app's own row builder when it has one (it
    encrypts personal data and computes the blind indexes)."""
    from app.subjects import models

    build = getattr(models, "subject_row", None)
    if build is None:
        values: dict[str, Any] = {
            "subject_type": subject_type,
            "id_number": id_number,
            "name": name,
            "address": address,
            "created_at": created,
            "updated_at": created,
        }
    else:
        values = build(subject_type, id_number, name, address, created)
    values["id"] = subject_id
    return values


def subject_rows(plan: Plan) -> Iterator[dict[str, Any]]:
    rng = random.Random(1)
    for index, subject_id in enumerate(plan.subject_ids):
        subject_type, number = identifier(index)
        created = plan.now - timedelta(days=rng.randint(1, 1500), seconds=rng.randint(0, 86399))
        yield subject_values(
            subject_id,
            subject_type,
            number,
            subject_name(index),
            address(rng) if rng.random() < 0.8 else None,
            created,
        )


def consent_rows(plan: Plan, catalog: Catalog) -> Iterator[dict[str, Any]]:
    rng = random.Random(2)
    scope = ["restriction_list", "joint_punishment"]
    methods = ("written_signature", "electronic_signature", "platform_authorization")
    wanted = list(plan.load)
    load = set(plan.load)
    extra = plan.scale.consents
    while extra > 0:
        index = rng.randrange(len(plan.subject_ids))
        if index not in load:
            wanted.append(index)
            extra -= 1
    for number, index in enumerate(wanted):
        consent_id = new_uuid(rng)
        if index in load:
            plan.consent_of[index] = consent_id
        granted = plan.now - timedelta(days=rng.randint(1, 300), seconds=rng.randint(0, 86399))
        # The load's consents stay valid for a year; others may have run out.
        expires = plan.today + timedelta(days=365 if index in load else rng.randint(-200, 365))
        # Drawn in the order they always were, so the seeded data stays the same.
        method = rng.choice(methods)
        recorded_by = f"clerk-{rng.randint(1, 200):03d}"
        department = rng.choice(catalog.departments)
        yield {
            "id": consent_id,
            "subject_id": plan.subject_ids[index],
            "purpose": "credit_facilitation",
            "scope": scope,
            "method": method,
            "granted_at": granted,
            "expires_on": expires,
            "evidence_ref": f"SQ-{granted:%Y}-{number:07d}",
            "recorded_by": recorded_by,
            "department": department,
            # The load checks its subjects at every agency: their consents are given to all.
            "given_to": sorted(catalog.departments) if index in load else [department],
            "created_at": granted,
            "version": 1,
        }


def restriction_rows(plan: Plan, catalog: Catalog) -> Iterator[dict[str, Any]]:
    """Listings of distinct subjects: the first ``effective_listings`` published in the
    last six months, then half repaired (published 7-24 months ago, rectified within the
    period), half withdrawn."""
    rng = random.Random(3)
    effective = plan.scale.effective_listings
    for number, index in enumerate(plan.listed):
        if number < effective:
            status = "effective"
            published: date | None = plan.today - timedelta(days=rng.randint(0, 175))
        elif number % 2 == 0:
            status = "repaired"
            published = plan.today - timedelta(days=rng.randint(200, 730))
        else:
            status = "withdrawn"
            published = plan.today - timedelta(days=rng.randint(20, 730))
        assert published is not None
        occurred = published - timedelta(days=rng.randint(15, 40))
        verified = occurred + timedelta(days=rng.randint(1, 5))
        issued = verified + timedelta(days=rng.randint(0, 3))
        received = issued + timedelta(days=rng.randint(0, 3))
        confirmed: date | None = published - timedelta(days=1)
        rectified = None
        withdrawn = None
        rectification = None
        if status == "repaired":
            rectified = published + timedelta(days=rng.randint(20, 170))
            rectification = {"measures": "已按要求整改并提交整改报告", "evidence_refs": ["ZG-1"]}
        elif status == "withdrawn":
            if rng.random() < 0.5:
                withdrawn = published + timedelta(days=rng.randint(1, 19))
            else:  # overturned on review, never published
                withdrawn = received + timedelta(days=rng.randint(1, 10))
                published = None
                confirmed = None
        created = datetime.combine(occurred, datetime.min.time(), UTC) + timedelta(hours=9)
        row: dict[str, Any] = {
            "id": new_uuid(rng),
            "subject_id": plan.subject_ids[index],
            "status": status,
            "situation": rng.choice(SITUATIONS),
            "source_channel": rng.choice(SOURCE_CHANNELS),
            "facts": "申请人在办理政务服务事项过程中提供虚假材料，经核实属实，尚不构成行政处罚。",
            "legal_basis": LEGAL_BASIS,
            "legal_documents": [f"核实笔录-{number:07d}"],
            "collecting_department": rng.choice(catalog.departments),
            "occurred_on": occurred,
            "verified_on": verified,
            "notice_issued_on": issued,
            "notice_method": rng.choice(("in_person", "mail")),
            "notice_late": False,
            "notice_received_on": received,
            "confirmed_on": confirmed,
            "published_on": published,
            "rectified_on": rectified,
            "withdrawn_on": withdrawn,
            "rectification": rectification,
            "deadlines": {},
            "created_by": f"clerk-{rng.randint(1, 200):03d}",
            "created_at": created,
            "updated_at": created,
            "version": 1,
        }
        # Made under its collecting department's profile, as the service records it.
        row["profile"] = catalog.profiles[row["collecting_department"]]
        yield row


def joint_punishment_rows(
    plan: Plan, import_id: uuid.UUID, created: datetime
) -> Iterator[dict[str, Any]]:
    """One entry in ten names a subject of this database; the rest name others."""
    from app.joint_punishment.models import JointPunishmentEntry

    index_of: Callable[[str, str], str] | None = None
    if "id_number_index" in JointPunishmentEntry.__mapper__.column_attrs:
        from app.subjects.models import identifier_index

        index_of = identifier_index
    rng = random.Random(4)
    subjects = len(plan.subject_ids)
    for number in range(plan.scale.joint_punishment):
        if number % 10 == 0:
            index = rng.randrange(subjects)
            subject_type, id_number = identifier(index)
            name: str | None = subject_name(index)
        else:
            index = FOREIGN_OFFSET + number
            subject_type, id_number = identifier(index)
            name = subject_name(index) if rng.random() < 0.7 else None
        list_name, source = rng.choice(LIST_NAMES)
        listed = plan.today - timedelta(days=rng.randint(0, 1500))
        expires = listed + timedelta(days=rng.randint(365, 1825)) if rng.random() < 0.6 else None
        values: dict[str, Any] = {
            "id": new_uuid(rng),
            "subject_type": subject_type,
            "id_number": id_number,
            "name": name,
            "list_name": list_name,
            "source": source,
            "listed_on": listed,
            "expires_on": expires,
            "import_id": import_id,
            "created_at": created,
        }
        if index_of is not None:
            values["id_number_index"] = index_of(subject_type, id_number)
        if "list_type" in JointPunishmentEntry.__mapper__.column_attrs:
            from app.rules.joint_punishment import list_type_of

            values["list_type"] = list_type_of(list_name).value
        yield values


def _notice(matter_code: str, mode: str) -> dict[str, Any]:
    """A notice snapshot of the size the service stores (DZ art. 8)."""
    return {
        "matter_code": matter_code,
        "matter_version": 1,
        "mode": mode,
        "legal_basis": "《中华人民共和国食品安全法》第三十五条；《食品经营许可和备案管理办法》",
        "legal_liability": "申请人作出不实承诺或未履行承诺的，依法终止办理或撤销办理结果，"
        "列入政务服务失信制约名单，并依法承担相应法律责任。",
        "verification_power": "政务服务实施机关有权对申请人的承诺内容进行在线核查、现场核查"
        "或请求协助核查。",
        "other_notice": None,
        "terms": {
            "tolerable_missing_materials": ["食品安全管理制度文本", "主要设备设施布局图"],
            "supplement_deadline": {"amount": 10, "unit": "working_days"},
            "submission_method": "德州市政务服务中心窗口或山东政务服务网在线提交",
        },
    }


@dataclass(slots=True)
class CommitmentSet:
    checks: list[dict[str, Any]] = field(default_factory=list)
    commitments: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    verifications: list[dict[str, Any]] = field(default_factory=list)


def _pick(rng: random.Random, table: Sequence[tuple[str, int, bool]]) -> tuple[str, bool]:
    status, _, closed = rng.choices(table, weights=[w for _, w, _ in table])[0]
    return status, closed


def commitment_rows(plan: Plan, catalog: Catalog) -> CommitmentSet:
    """Commitments, the passed credit checks behind them, the credit-record entry of each
    closed one, and the verifications of notify-and-commit cases."""
    rng = random.Random(5)
    out = CommitmentSet()
    usable = [
        (code, version_id, agency, mode)
        for code, (version_id, agency, modes) in sorted(catalog.matters.items())
        for mode in modes
        if mode in ("tolerance", "notify_commit")
    ]
    affirmations = dict.fromkeys(AFFIRMATIONS, True)
    for _ in range(plan.scale.commitments):
        code, version_id, agency, mode = rng.choice(usable)
        index = rng.randrange(len(plan.subject_ids))
        subject_id = plan.subject_ids[index]
        profile = catalog.profiles.get(agency, "shandong-combined")
        signed = plan.now - timedelta(days=rng.randint(0, 700), seconds=rng.randint(0, 86399))
        checked = signed - timedelta(minutes=rng.randint(2, 60))
        check_id = new_uuid(rng)
        commitment_id = new_uuid(rng)
        status, closed = _pick(rng, TOLERANCE_STATUSES if mode == "tolerance" else NOTIFY_STATUSES)
        due = None if closed else plan.today + timedelta(days=rng.randint(-30, 30))
        deadlines: dict[str, Any] = {}
        if mode == "tolerance" and status == "accepted" and due is not None:
            deadlines["supplement_due"] = {"name": "supplement_due", "date": due.isoformat()}
        closed_on = min(plan.today, (signed + timedelta(days=rng.randint(1, 60))).date())
        decided = None
        if mode == "notify_commit" and status not in ("committed", "withdrawn"):
            decided = (signed + timedelta(days=rng.randint(0, 5))).date()
        clerk = f"clerk-{rng.randint(1, 200):03d}"
        out.checks.append(
            {
                "id": check_id,
                "subject_id": subject_id,
                "matter_code": code,
                "matter_version_id": version_id,
                "mode": mode,
                "purpose": "credit_facilitation",
                "result": "pass",
                "eligible_modes": [mode],
                "reasons": [],
                "profile": profile,
                "checked_at": checked,
                "checked_on": checked.date(),
                "valid_until": checked.date() + timedelta(days=1),
                "requested_by": clerk,
                "department": agency,
                "created_at": checked,
            }
        )
        out.commitments.append(
            {
                "id": commitment_id,
                "credit_check_id": check_id,
                "subject_id": subject_id,
                "matter_code": code,
                "matter_version_id": version_id,
                "mode": mode,
                "status": status,
                "profile": profile,
                "department": agency,
                "notice": _notice(code, mode),
                "affirmations": affirmations,
                "missing_materials": ["食品安全管理制度文本"] if mode == "tolerance" else [],
                "conditions_to_meet": [],
                "signed_by": subject_name(index),
                "signed_at": signed,
                "exempt_from_verification": False,
                "deadlines": deadlines,
                "current_due_on": due,
                "decided_on": decided,
                "closed_on": closed_on if closed else None,
                "withdrawal_reason": "申请人主动撤回承诺书" if status == "withdrawn" else None,
                "created_by": clerk,
                "created_at": signed,
                "updated_at": signed,
                "version": 1,
            }
        )
        if closed:
            out.records.append(
                {
                    "id": new_uuid(rng),
                    "subject_id": subject_id,
                    "commitment_id": commitment_id,
                    "kind": "commitment_outcome",
                    "outcome": OUTCOMES[status],
                    "recorded_on": closed_on,
                    "recorded_at": datetime.combine(closed_on, datetime.min.time(), UTC),
                    "department": agency,
                    "matter_code": code,
                    "citation": "DZ art. 14",
                    "details": {"mode": mode, "status": status},
                }
            )
        if mode == "notify_commit" and status in ("verifying", "fulfilled", "revoked"):
            still_open = status == "verifying"
            done = not still_open
            out.verifications.append(
                {
                    "id": new_uuid(rng),
                    "commitment_id": commitment_id,
                    "method": rng.choice(("online", "onsite")),
                    "assigned_department": agency,
                    "assisting_department": (
                        rng.choice(catalog.departments) if rng.random() < 0.2 else None
                    ),
                    "status": "open" if still_open else "completed",
                    "due_on": (decided or plan.today) + timedelta(days=28),
                    "opened_at": signed + timedelta(days=1),
                    "opened_by": clerk,
                    "verification_number": f"HC-{agency[:6]}-{rng.getrandbits(40):010X}"
                    if done
                    else None,
                    "checked_at": signed + timedelta(days=10) if done else None,
                    "checking_department_code": agency if done else None,
                    "checking_department_name": "德州市行政审批服务局" if done else None,
                    "fulfilled": status == "fulfilled" if done else None,
                    "recorded_by": clerk if done else None,
                    "version": 1,
                }
            )
    return out


def credit_record_rows(plan: Plan, count: int, catalog: Catalog) -> Iterator[dict[str, Any]]:
    """Entries beyond the commitments' own: earlier outcomes, spread over the subjects."""
    rng = random.Random(6)
    codes = sorted(catalog.matters)
    outcomes = ("fulfilled",) * 8 + ("withdrawn", "terminated")
    for _ in range(count):
        recorded = plan.today - timedelta(days=rng.randint(30, 2000))
        code = rng.choice(codes)
        outcome = rng.choice(outcomes)
        yield {
            "id": new_uuid(rng),
            "subject_id": plan.subject_ids[rng.randrange(len(plan.subject_ids))],
            "kind": "commitment_outcome",
            "outcome": outcome,
            "recorded_on": recorded,
            "recorded_at": datetime.combine(recorded, datetime.min.time(), UTC),
            "department": catalog.matters[code][1],
            "matter_code": code,
            "citation": "DZ art. 14",
            "details": {"mode": "tolerance", "status": outcome},
        }


# --- the database --------------------------------------------------------------------------


def fingerprint(sc: Scale, today: date) -> str:
    """What the data depends on: the scale, this generator, the migrations, the models."""
    digest = hashlib.sha256()
    digest.update(json.dumps(sc.as_dict(), sort_keys=True).encode())
    digest.update(str(SEED_FORMAT).encode())
    digest.update((BENCH_DIR / "seed.py").read_bytes())
    sources = sorted((ROOT / "migrations" / "versions").glob("*.py"))
    sources += [*sorted((ROOT / "app").glob("**/models.py")), ROOT / "app" / "crypto.py"]
    for path in sources:
        if path.exists():
            digest.update(path.read_bytes())
    # Encrypted values and blind indexes depend on the keys.
    digest.update(json.dumps(key_settings(), sort_keys=True).encode())
    return f"{digest.hexdigest()[:16]}:{today.isoformat()}"


async def _admin() -> asyncpg.Connection:
    return await asyncpg.connect(dsn("postgres"))


async def current_fingerprint(database: str) -> str | None:
    conn = await _admin()
    try:
        return await conn.fetchval(  # type: ignore[no-any-return]
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = $1",
            database,
        )
    finally:
        await conn.close()


async def drop_database(database: str) -> None:
    if not database.startswith("zwfw_bench_"):
        raise SystemExit(f"refusing to drop {database}: not a benchmark database")
    conn = await _admin()
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


async def create_database(database: str) -> None:
    await drop_database(database)
    conn = await _admin()
    try:
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()


def migrate(database: str) -> None:
    subprocess.run(
        [str(VENV_BIN / "zwfw-credit"), "migrate"],
        env=service_env(database),
        check=True,
        cwd=ROOT,
    )


async def load_catalog(database: str, profile: str) -> None:
    from sqlalchemy import text

    from app.calendar.seed import seed_missing_years
    from app.core.db import Database
    from app.ops.demo import load_demo

    db = Database(database_url(database))
    try:
        await seed_missing_years(db.sessionmaker)
        await load_demo(db.sessionmaker)
        # The bench runs one deployment-wide profile (ZWFW_PROFILE, shandong-combined unless
        # set) for every department, as it did before the demo named each city's own.
        async with db.sessionmaker() as session:
            await session.execute(text("UPDATE departments SET profile = :p"), {"p": profile})
            await session.commit()
    finally:
        await db.dispose()


async def read_catalog(conn: asyncpg.Connection) -> Catalog:
    departments = await conn.fetch("SELECT code, profile FROM departments ORDER BY code")
    versions = await conn.fetch(
        "SELECT DISTINCT ON (matter_code) matter_code, id, agency_code, modes "
        "FROM matter_versions ORDER BY matter_code, version DESC"
    )
    return Catalog(
        departments=[row["code"] for row in departments],
        profiles={row["code"]: row["profile"] for row in departments},
        matters={
            row["matter_code"]: (row["id"], row["agency_code"], sorted(json.loads(row["modes"])))
            for row in versions
        },
    )


def load_file(database: str) -> str:
    return str(WORK_DIR / f"{database}.load.json")


async def generate(sc: Scale, today: date, now: datetime) -> dict[str, int]:
    from app.commitments.models import Commitment, Verification
    from app.consents.models import Consent
    from app.credit_checks.models import CreditCheck
    from app.credit_records.models import CreditRecordEntry
    from app.joint_punishment.models import JointPunishmentEntry, JointPunishmentImport
    from app.restrictions.models import Restriction
    from app.subjects.models import Subject

    rng = random.Random(0)
    started = time.monotonic()
    subject_ids = [new_uuid(rng) for _ in range(sc.subjects)]
    listed = rng.sample(range(sc.subjects), min(sc.subjects, sc.listings))
    # The load checks a random sample of subjects: mostly unlisted, some listed.
    load = rng.sample(range(sc.subjects), sc.load_subjects)
    plan = Plan(sc, today, now, subject_ids, load, listed)
    counts: dict[str, int] = {}
    conn = await asyncpg.connect(dsn(sc.database))

    async def load_table(label: str, model: Any, rows: Iterable[dict[str, Any]]) -> None:
        t = time.monotonic()
        counts[label] = counts.get(label, 0) + await copy_model(conn, model, rows)
        say(f"  {label}: {counts[label]:,} rows in {time.monotonic() - t:.1f} s")

    try:
        catalog = await read_catalog(conn)
        # Foreign keys hold by construction; skip their per-row triggers while loading.
        await conn.execute("SET session_replication_role = replica")
        await conn.execute("SET synchronous_commit = off")
        async with conn.transaction():
            await load_table("subjects", Subject, subject_rows(plan))
            await load_table("consents", Consent, consent_rows(plan, catalog))
            await load_table("restrictions", Restriction, restriction_rows(plan, catalog))
            import_id = new_uuid(rng)
            batch = {
                "id": import_id,
                "format": "csv",
                "accepted": sc.joint_punishment,
                "rejected": 0,
                "imported_by": "bench-seed",
                "created_at": now,
            }
            await load_table("joint_punishment_imports", JointPunishmentImport, [batch])
            await load_table(
                "joint_punishment_entries",
                JointPunishmentEntry,
                joint_punishment_rows(plan, import_id, now),
            )
            made = commitment_rows(plan, catalog)
            await load_table("credit_checks", CreditCheck, made.checks)
            await load_table("commitments", Commitment, made.commitments)
            await load_table("verifications", Verification, made.verifications)
            await load_table("credit_record_entries", CreditRecordEntry, made.records)
            more = max(0, sc.credit_records - len(made.records))
            await load_table(
                "credit_record_entries", CreditRecordEntry, credit_record_rows(plan, more, catalog)
            )
        await conn.execute("RESET session_replication_role")
        t = time.monotonic()
        await conn.execute("VACUUM (ANALYZE)")
        say(f"  vacuum analyze: {time.monotonic() - t:.1f} s")
        write_load_file(plan, catalog)
    finally:
        await conn.close()
    say(f"  generated in {time.monotonic() - started:.1f} s")
    return counts


def write_load_file(plan: Plan, catalog: Catalog) -> None:
    """What the load generator sends: subjects with consents, public-list searches."""
    rng = random.Random(7)
    checked = []
    for index in plan.load:
        subject_type, number = identifier(index)
        checked.append(
            {
                "subject_type": subject_type,
                "id_number": number,
                "name": subject_name(index),
                "consent_id": str(plan.consent_of[index]),
            }
        )
    # Half the searches find a listed subject, at every scale (drawn with replacement
    # when there are fewer effective listings than that).
    effective = plan.listed[: plan.scale.effective_listings]
    half = len(plan.load) // 2
    searched = (
        rng.sample(effective, half) if len(effective) >= half else rng.choices(effective, k=half)
    )
    searched += rng.sample(plan.load, len(plan.load) - half)
    rng.shuffle(searched)
    matters = [
        {"matter_code": code, "mode": mode}
        for code, (_, _, modes) in sorted(catalog.matters.items())
        for mode in modes
    ]
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    with open(load_file(plan.scale.database), "w", encoding="utf-8") as out:
        json.dump(
            {
                "scale": plan.scale.as_dict(),
                "checked": checked,
                "public_searches": [identifier(i)[1] for i in searched],
                "matters": matters,
                "departments": catalog.departments,
            },
            out,
            ensure_ascii=False,
        )


def _load_file_present(database: str) -> bool:
    return os.path.exists(load_file(database))


def legal_today(tz_name: str) -> tuple[date, datetime]:
    now = datetime.now(UTC)
    return now.astimezone(ZoneInfo(tz_name)).date(), now


async def ensure(sc: Scale, *, force: bool = False) -> tuple[bool, float]:
    """Seed ``sc`` unless a matching database is there; (seeded, seconds)."""
    configure_in_process(sc.database)
    tz_name = os.environ.get("ZWFW_TIMEZONE", "Asia/Shanghai")
    profile = os.environ.get("ZWFW_PROFILE", "shandong-combined")
    today, now = legal_today(tz_name)
    wanted = fingerprint(sc, today)
    have = _parse_comment(await current_fingerprint(sc.database))
    if not force and have.get("seed") == wanted and _load_file_present(sc.database):
        seconds = float(have.get("seconds", 0.0))
        say(f"{sc.database}: seeded today ({seconds:.0f} s) with this generator, reused")
        return False, seconds
    say(f"{sc.database}: seeding {sc.subjects:,} subjects")
    started = time.monotonic()
    await create_database(sc.database)
    migrate(sc.database)
    await load_catalog(sc.database, profile)
    counts = await generate(sc, today, now)
    seconds = time.monotonic() - started
    conn = await _admin()
    try:
        comment = json.dumps({"seed": wanted, "seconds": round(seconds, 1), "rows": counts})
        quoted = comment.replace("'", "''")
        await conn.execute(f"COMMENT ON DATABASE \"{sc.database}\" IS '{quoted}'")
    finally:
        await conn.close()
    say(f"{sc.database}: seeded in {seconds:.1f} s: {json.dumps(counts)}")
    return True, seconds


def _parse_comment(comment: str | None) -> dict[str, Any]:
    """The fingerprint, seconds and row counts a seed left on its database."""
    try:
        value = json.loads(comment or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scale", nargs="?", choices=("small", "large"))
    parser.add_argument("--force", action="store_true", help="seed again even if unchanged")
    parser.add_argument(
        "--drop", action="store_true", help="drop the benchmark databases and their files"
    )
    args = parser.parse_args()
    if args.drop:
        asyncio.run(drop_all())
    elif args.scale:
        asyncio.run(ensure(scale(args.scale), force=args.force))
    else:
        parser.error("name a scale, or --drop")


async def drop_all() -> None:
    """Drop both benchmark databases and the work files (the results are kept)."""
    for name in ("small", "large"):
        database = scale(name).database
        await drop_database(database)
        say(f"dropped {database}")
    for path in WORK_DIR.glob("*"):
        if path.is_file() and path.name != "results.json":
            path.unlink()


if __name__ == "__main__":
    main()
