"""Application factory."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from app.audit import router as audit_router
from app.calendar import router as calendar_router
from app.calendar.seed import seed_missing_years
from app.catalog import router as catalog_router
from app.commitments import public_router as commitments_public_router
from app.commitments import router as commitments_router
from app.commitments import supervision_router as commitment_supervision_router
from app.consents import router as consents_router
from app.core.clock import Clock, SystemClock
from app.core.config import Settings, get_settings
from app.core.db import Database
from app.core.errors import install_error_handlers
from app.core.logs import configure_logging
from app.credit_checks import router as credit_checks_router
from app.departments import router as departments_router
from app.documents import router as documents_router
from app.documents.schemas import VERIFY_PATH
from app.events import router as events_router
from app.joint_punishment import router as joint_punishment_router
from app.joint_punishment.adapter import client_from_settings
from app.ops import health, heap
from app.ops.metrics import Metrics, MetricsMiddleware
from app.ops.metrics import router as metrics_router
from app.ops.worker import Worker
from app.privacy import crypto
from app.profiles import router as profiles_router
from app.referrals import router as referrals_router
from app.restrictions import (
    credit_repair_router,
    hearing_router,
    imposition_router,
    period_router,
    repair_router,
)
from app.restrictions import router as restrictions_router
from app.rules import profiles
from app.rules.national import check_profiles
from app.statistics import router as statistics_router
from app.supervision import router as supervision_router
from app.tasks import router as tasks_router
from app.web.auth import TokenVerifier
from app.web.body_limit import JOINT_PUNISHMENT_IMPORT, BodySizeLimitMiddleware
from app.web.contract import operation_id
from app.web.docs import install_docs
from app.web.idempotency.middleware import IdempotencyMiddleware
from app.web.idempotency.transaction import require_kept_creates
from app.web.methods import MethodNotAllowedMiddleware
from app.web.middleware import RequestContextMiddleware
from app.web.openapi import install_openapi
from app.web.rate_limit import RateLimiter, RateLimitMiddleware
from app.web.security_headers import SecurityHeadersMiddleware
from app.webhooks import router as webhooks_router

DESCRIPTION = """\
**政务服务信用信息应用服务**：政务服务平台在办理政务服务事项时应用申请人的信用信息——
为守信者提供容缺受理、告知承诺、绿色通道等便利，对轻微失信行为实行有期限、可申辩、可修复的
失信制约名单管理。规则来自《德州市政务服务信用信息应用办法》（德州市政府令第13号）与
《临淄区建立政务服务"失信制约"制度实施方案（试行）》（临政管办发〔2022〕3号）。

**Credit information in government services**: lets a government-service platform use an
applicant's credit when handling a matter — faster paths for the trustworthy (tolerance
acceptance, notify-and-commit, green channel) and a fair, time-limited restriction list for
minor dishonesty, with notice, objection and repair. Errors are RFC 9457
`application/problem+json` with a machine `code`; lists are cursor-paginated; every
response carries `X-Request-ID`.
"""

TAGS = [
    {"name": "health", "description": "Liveness and readiness (健康检查)."},
    {
        "name": "profiles",
        "description": "Rule profiles (规则配置): every parameter with its citation.",
    },
    {
        "name": "calendar",
        "description": "Working-day calendar (工作日历) and deadline computation (期限计算).",
    },
    {"name": "departments", "description": "Departments (部门) and the profile each applies."},
    {
        "name": "catalog",
        "description": "The catalog of matters that may use credit facilitation (清单, DZ art. 5).",
    },
    {
        "name": "consents",
        "description": "Consent to use credit information (授权, LZ §5(1)6).",
    },
    {
        "name": "credit-checks",
        "description": "Credit checks before facilitation (信用核验, DZ art. 6).",
    },
    {
        "name": "commitments",
        "description": "Commitments (容缺受理, 告知承诺; DZ art. 7-14) and verifications (核查).",
    },
    {
        "name": "restrictions",
        "description": "The dishonesty restriction list (失信制约名单, LZ §5; DZ art. 15).",
    },
    {
        "name": "documents",
        "description": "Verification of printed documents by their code (文书核验), no login.",
    },
    {"name": "tasks", "description": "Work due by department (待办)."},
    {
        "name": "events",
        "description": "The event feed and webhook subscriptions (事件与订阅).",
    },
    {"name": "audit", "description": "Append-only audit log (审计日志), auditors only."},
    {
        "name": "joint-punishment",
        "description": "National joint reward and punishment lists (联合奖惩名单): bulk import.",
    },
]


def _package_version() -> str:
    try:
        return version("zwfw-credit")
    except PackageNotFoundError:
        return "0.0.0"


def create_app(
    settings: Settings | None = None,
    database: Database | None = None,
    clock: Clock | None = None,
    *,
    with_worker: bool = False,
    settle_heap: bool = False,
) -> FastAPI:
    settings = settings or get_settings()
    configure_logging(settings.log_level)
    # A profile publishing minor dishonesty longer than the national cap never starts.
    check_profiles(profiles.PROFILES.values())
    if settings.data_key is not None:
        crypto.configure(settings.keyring())
    database = database or Database(settings.database_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await seed_missing_years(app.state.database.sessionmaker)
        stop = asyncio.Event()
        task: asyncio.Task[None] | None = None
        if with_worker:
            worker = Worker(app.state.database, settings, app.state.clock)
            task = asyncio.create_task(worker.run_forever(stop))
        if settle_heap:
            heap.settle()
        yield
        if task is not None:
            stop.set()
            await task
            await worker.aclose()
        await app.state.database.dispose()
        await app.state.rate_limiter.aclose()
        await app.state.verification_limiter.aclose()
        await app.state.token_verifier.aclose()
        if app.state.joint_punishment_client is not None:
            await app.state.joint_punishment_client.aclose()

    app = FastAPI(
        title="zwfw-credit",
        version=_package_version(),
        description=DESCRIPTION,
        openapi_tags=TAGS,
        servers=[{"url": "/", "description": "本服务 (this service)"}],
        license_info={"name": "Proprietary", "identifier": "LicenseRef-Proprietary"},
        generate_unique_id_function=operation_id,
        lifespan=lifespan,
        # Served from the service's own files by install_docs, never from a CDN.
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.database = database
    app.state.clock = clock or SystemClock()
    app.state.joint_punishment_client = client_from_settings(settings)
    app.state.token_verifier = TokenVerifier.from_settings(settings)
    install_error_handlers(app)
    # Middleware runs outermost-last-added: security headers, request id, metrics, CORS,
    # rate limit, body size cap, idempotency keys, 405 for undeclared methods, the routes.
    app.add_middleware(MethodNotAllowedMiddleware, routes=lambda: app.routes)
    app.add_middleware(
        IdempotencyMiddleware,
        routes=lambda: app.routes,
        clock=lambda: app.state.clock,
        settings=settings,
        verifier=app.state.token_verifier,
    )
    app.add_middleware(
        BodySizeLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        route_limits={JOINT_PUNISHMENT_IMPORT: settings.max_import_bytes},
    )
    app.state.rate_limiter = RateLimiter.from_settings(settings)
    app.state.verification_limiter = RateLimiter(
        settings.verification_rate_limit, settings.redis_url
    )
    app.add_middleware(
        RateLimitMiddleware,
        limiter=app.state.rate_limiter,
        verifier=app.state.token_verifier,
        scoped=((VERIFY_PATH + "/", app.state.verification_limiter),),
    )
    if settings.cors_origin_list:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origin_list,
            allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            allow_headers=[
                "Authorization",
                "Content-Type",
                "If-Match",
                "Idempotency-Key",
                "X-Request-ID",
            ],
            expose_headers=["X-Request-ID", "ETag", "Retry-After", "Deprecation", "Link"],
        )
    app.state.metrics = Metrics()
    app.add_middleware(MetricsMiddleware, metrics=app.state.metrics)
    app.add_middleware(RequestContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
    # The busiest routes first: the router tries the routes in order, and each route passed
    # over costs every request a match (tens of microseconds). No two routes share a method
    # and a path, so the order changes no answer (tests/test_http_semantics.py).
    app.include_router(credit_checks_router.router)
    app.include_router(restrictions_router.lookups_router)
    app.include_router(restrictions_router.public_router)
    app.include_router(restrictions_router.subjects_router)
    app.include_router(tasks_router.router)
    app.include_router(health.router)
    app.include_router(metrics_router)
    app.include_router(profiles_router.router)
    app.include_router(calendar_router.router)
    app.include_router(departments_router.router)
    app.include_router(catalog_router.router)
    app.include_router(catalog_router.public_router)
    app.include_router(consents_router.router)
    app.include_router(commitments_router.router)
    app.include_router(restrictions_router.router)
    app.include_router(repair_router.router)
    app.include_router(credit_repair_router.router)
    app.include_router(hearing_router.router)
    app.include_router(referrals_router.router)
    app.include_router(imposition_router.router)
    app.include_router(period_router.router)
    app.include_router(events_router.router)
    app.include_router(webhooks_router.router)
    app.include_router(commitments_public_router.public_router)
    app.include_router(documents_router.public_router)
    app.include_router(restrictions_router.supervision_router)
    app.include_router(supervision_router.router)
    app.include_router(commitment_supervision_router.router)
    app.include_router(commitments_router.verifications_router)
    app.include_router(audit_router.router)
    app.include_router(joint_punishment_router.router)
    app.include_router(statistics_router.router)
    install_openapi(app)
    install_docs(app)
    require_kept_creates(app.routes)
    return app
