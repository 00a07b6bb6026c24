"""OpenAPI-driven tests: schemathesis generates requests from ``openapi/openapi.json``.

Every operation of the committed document is called in-process against an app on a real,
migrated database (SQLite by default) holding the demo catalog, authenticated with a token
that holds every role for a demo department; public operations need no token and get
none. Each answer must not be a 5xx, must conform to the document (status code, content
type, headers, body schema), and every 4xx/5xx must be problem+json with a machine code.

- ``test_operation``: every operation, valid and invalid input (examples, coverage and
  fuzzing phases), ``ZWFW_FUZZ_EXAMPLES`` examples each with seed ``ZWFW_FUZZ_SEED``.
- ``test_create_then_read``: stateful, along the document's links from each create to
  the reads of what it created.
- ``test_bulk_import_rows``: the streamed bulk import takes ``text/csv`` and JSON lines
  whose schema is just a string, so the generic fuzz sends it arbitrary text; this
  test sends documents shaped like the real files (header, quoting, bad and good rows).

``make fuzz`` runs the same tests with many more examples, on SQLite and PostgreSQL
(``ZWFW_FUZZ_BACKENDS``).
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from hypothesis import strategies as st
from schemathesis.core.failures import FailureGroup
from schemathesis.python import asgi

from app.core.clock import FixedClock
from app.core.db import Database
from app.core.errors import PROBLEM_MEDIA_TYPE
from app.joint_punishment.importing import COLUMNS
from app.main import create_app
from app.ops.demo import load_demo
from app.web.auth import Role, mint_token
from tests.conftest import (
    DEFAULT_NOW,
    create_postgres_database,
    create_sqlite_database,
    drop_postgres_database,
    make_settings,
    prepare_database,
)
from tests.factories import ORG_ID, PERSON_ID

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "openapi" / "openapi.json"
SEED = int(os.environ.get("ZWFW_FUZZ_SEED", "20260930"))
MAX_EXAMPLES = int(os.environ.get("ZWFW_FUZZ_EXAMPLES", "10"))
STATEFUL_STEPS = int(os.environ.get("ZWFW_FUZZ_STATEFUL_STEPS", "6"))
BACKENDS = os.environ.get("ZWFW_FUZZ_BACKENDS", "sqlite").split(",")
DEPARTMENT = "371400-SPJ"
DEMO_MATTER = "371400-SPJ-001"
IMPORTS = "/api/v1/joint-punishment/imports"
Case = schemathesis.Case[Any]

TOKEN = mint_token(
    make_settings("sqlite+aiosqlite:///:memory:"),
    sub="openapi-fuzz",
    roles=[role.value for role in Role],
    department=DEPARTMENT,
    ttl_seconds=24 * 3600,
)

CHECKS = {
    "enabled": False,
    "not_a_server_error": {"enabled": True},
    "status_code_conformance": {"enabled": True},
    "content_type_conformance": {"enabled": True},
    "response_headers_conformance": {"enabled": True},
    "response_schema_conformance": {"enabled": True},
}


def _config(mode: str) -> schemathesis.Config:
    return schemathesis.Config.from_dict(
        {
            "seed": SEED,
            "generation": {"mode": mode, "max-examples": MAX_EXAMPLES, "database": "none"},
            # The bearer token goes to the operations that declare bearerAuth, and only there.
            "auth": {"openapi": {"bearerAuth": {"bearer": TOKEN}}},
            # Only the links the document declares (and the test flows below).
            "phases": {"stateful": {"inference": {"algorithms": []}}},
            "checks": CHECKS,
        }
    )


schema = schemathesis.openapi.from_path(SCHEMA_PATH, config=_config("all"))
# The bulk import's bodies are text: CSV goes out as text already, JSON lines likewise.
schemathesis.serializer.alias("application/x-ndjson", "text/plain")


@schemathesis.check
def problem_json_on_errors(
    ctx: schemathesis.CheckContext, response: schemathesis.Response, case: Case
) -> None:
    """Every 4xx and 5xx answer is RFC 9457 problem+json with a machine ``code``."""
    if response.status_code < 400:
        return
    content_type = response.headers.get("content-type", [""])[0]
    media_type = content_type.split(";")[0].strip()
    assert media_type == PROBLEM_MEDIA_TYPE, f"a {response.status_code} answered as {media_type!r}"
    body = response.json()
    assert isinstance(body, dict), "the problem is not a JSON object"
    assert isinstance(body.get("code"), str) and body["code"], "the problem has no machine code"
    assert body.get("status") == response.status_code, "the problem's status differs"


@pytest.fixture(scope="module", params=BACKENDS)
def fuzz_app(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Any]:
    """The app on a throwaway migrated database with the demo catalog, for this module."""
    if request.param == "postgresql":
        url = create_postgres_database()
        request.addfinalizer(lambda: drop_postgres_database(url))
    else:
        url = create_sqlite_database(tmp_path_factory.mktemp("fuzz"))
    prepare_database(url)
    settings = make_settings(url)

    async def load() -> None:
        database = Database(url)
        try:
            await load_demo(database.sessionmaker)
        finally:
            await database.dispose()

    asyncio.run(load())
    app = create_app(settings, clock=FixedClock(DEFAULT_NOW))
    yield app
    # The transport keeps each app's lifespan running; end it (disposes the engine).
    asgi.shutdown_lifespans()


@schema.parametrize()
def test_operation(case: Case, fuzz_app: Any) -> None:
    case.call_and_validate(app=fuzz_app, additional_checks=[problem_json_on_errors])


# --- stateful: create, then read ---------------------------------------------------------


def _with_test_flows(document: dict[str, Any]) -> dict[str, Any]:
    """The document plus links that carry an id into the next create's body.

    The committed document declares standard links only (to path parameters); these lead
    the stateful test on from a consent to a credit check to a commitment.
    """
    flows = {
        ("/api/v1/consents", "CheckWithConsent"): (
            "/api/v1/credit-checks",
            {"consent_id": "$response.body#/id"},
        ),
        ("/api/v1/credit-checks", "CommitOnCheck"): (
            "/api/v1/commitments",
            {"credit_check_id": "$response.body#/id"},
        ),
    }
    paths = document["paths"]
    for (source, name), (target, body) in flows.items():
        links = paths[source]["post"]["responses"]["201"].setdefault("links", {})
        links[name] = {"operationId": paths[target]["post"]["operationId"], "requestBody": body}
    return document


flows_schema = schemathesis.openapi.from_dict(
    _with_test_flows(json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))),
    config=_config("positive"),
)
VALID_ID_NUMBERS = {"organization": ORG_ID, "person": PERSON_ID}


def _with_valid_references(value: Any) -> Any:
    """The generated value with identifiers that pass their check digit and a demo matter.

    Random identifiers almost never pass GB 32100 / GB 11643, so without this every create
    that names a subject stops at 422 and no flow gets past its first step.
    """
    if isinstance(value, list):
        return [_with_valid_references(item) for item in value]
    if not isinstance(value, dict):
        return value
    mapped = {key: _with_valid_references(item) for key, item in value.items()}
    if mapped.get("subject_type") in VALID_ID_NUMBERS and "id_number" in mapped:
        mapped["id_number"] = VALID_ID_NUMBERS[mapped["subject_type"]]
    if "matter_code" in mapped:
        mapped["matter_code"] = DEMO_MATTER
    return mapped


@flows_schema.hook
def map_body(context: schemathesis.HookContext, body: Any) -> Any:
    return _with_valid_references(body)


STATEFUL_RUNS = 5
STATEFUL_SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    stateful_step_count=STATEFUL_STEPS,
    deadline=None,
    database=None,
    # No shrinking: the database keeps what earlier scenarios made, so a replay differs.
    phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    suppress_health_check=list(hypothesis.HealthCheck),
)


def test_create_then_read(fuzz_app: Any) -> None:
    """Stateful: follow the links from each create to the reads of what it made.

    The database outlives each scenario, so a replayed prefix can take another path (a
    code an earlier scenario took now answers 409), which Hypothesis reports as flaky.
    As in schemathesis's own runner that is no failure: the run goes on with the next
    seed until the scenarios are done. A failed check always fails the test.
    """
    machine = flows_schema.as_state_machine()
    failures: list[FailureGroup] = []
    scenarios = 0

    class CreateThenRead(machine):  # type: ignore[misc,valid-type]
        def setup(self) -> None:
            nonlocal scenarios
            scenarios += 1

        def get_call_kwargs(self, case: Case) -> dict[str, Any]:
            return {"app": fuzz_app}

        def validate_response(
            self,
            response: schemathesis.Response,
            case: Case,
            additional_checks: list[Any] | None = None,
            **kwargs: Any,
        ) -> None:
            try:
                super().validate_response(
                    response, case, additional_checks=[problem_json_on_errors], **kwargs
                )
            except FailureGroup as failure:
                failures.append(failure)
                raise

    for attempt in range(STATEFUL_RUNS):
        hypothesis.seed(SEED + attempt)(CreateThenRead)
        try:
            CreateThenRead.run(settings=STATEFUL_SETTINGS)
        except hypothesis.errors.Flaky:
            if failures:
                raise failures[0] from None
            if scenarios < MAX_EXAMPLES:
                continue
        break
    assert not failures


# --- the bulk import, with bodies shaped like the real files --------------------------------

_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)
_FIELD = {
    "subject_type": st.sampled_from(["organization", "person", "company", ""]) | _TEXT,
    "id_number": st.sampled_from([ORG_ID, PERSON_ID, ORG_ID.lower(), ORG_ID[:-1] + "0"]) | _TEXT,
    "name": _TEXT,
    "list_name": st.sampled_from(["重大税收违法失信主体", "失信被执行人"]) | _TEXT,
    "source": st.sampled_from(["国家税务总局", "最高人民法院"]) | _TEXT,
    "listed_on": st.dates().map(str) | _TEXT,
    "expires_on": st.dates().map(str) | st.just("") | _TEXT,
}
_ROWS = st.lists(st.fixed_dictionaries(_FIELD), min_size=1, max_size=8)


def _csv_body(columns: list[str], rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[column] for column in columns])
    return out.getvalue()


def _ndjson_body(rows: list[dict[str, str]]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)


@hypothesis.settings(max_examples=MAX_EXAMPLES, deadline=None, database=None)
@hypothesis.seed(SEED)
@hypothesis.given(
    columns=st.permutations(list(COLUMNS)),
    rows=_ROWS,
    media_type=st.sampled_from(["csv", "ndjson"]),
)
def test_bulk_import_rows(
    fuzz_app: Any, columns: list[str], rows: list[dict[str, str]], media_type: str
) -> None:
    """Files of good and bad rows: 201 with every bad row reported, never a 5xx."""
    operation = schema[IMPORTS]["POST"]
    headers = {"Authorization": f"Bearer {TOKEN}"}
    if media_type == "csv":
        body, content_type = _csv_body(columns, rows), "text/csv"
    else:
        body, content_type = _ndjson_body(rows), "application/x-ndjson"
    case = operation.Case(body=body, media_type=content_type, headers=headers)
    response = case.call_and_validate(app=fuzz_app, additional_checks=[problem_json_on_errors])
    assert response.status_code == 201, response.text
    result = response.json()
    split_lines = media_type == "csv" and any(
        "\n" in value or "\r" in value for row in rows for value in row.values()
    )
    if not split_lines:  # a CSV field may not span lines: such a row counts as several
        assert result["accepted"] + result["rejected"] == len(rows)
