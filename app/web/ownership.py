"""Ownership (谁的资源): the one place the matrix's ``owner`` is enforced.

A matrix row (``app/web/authz.py``) names whose department must own the resource a route acts
on. Routes acting on one resource declare :data:`Owned`: before the handler runs, the
resolver of the row's owner loads the departments owning the resource (through the
domains' repositories) and the caller's department must be among them — 404 when the
resource does not exist, ``403 department_forbidden`` when it belongs to others. List
routes declare :data:`ListScope` and filter by the :class:`Scope` it gives. Fail closed:
an owner without a resolver refuses everyone, and :func:`app.web.authz.authorize` refuses a
route whose row names an owner but which declares neither dependency.

Auditors read across departments where their role is in the row (审计, every route they
may use is a read); every other role acts only for the department its token names
(docs/domain.md section 7) — the platform included, which acts for the department in its token.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from pydantic import TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from app.catalog.repository import CatalogRepository
from app.commitments.models import Commitment
from app.commitments.repository import CommitmentRepository
from app.consents.repository import ConsentRepository
from app.core.db import SessionDep
from app.core.errors import Forbidden, NotFound
from app.credit_checks.repository import CreditCheckRepository
from app.restrictions.repository import RestrictionRepository
from app.web.auth import Principal, Role
from app.web.authz import LIST_OWNERS, OWNER_ENFORCERS, Access, Authorized, Owner, route_access


class DepartmentForbidden(Forbidden):
    """The resource belongs to another department (or the caller acts for none)."""

    code = "department_forbidden"


def _route_forbidden(detail: str) -> Forbidden:
    return Forbidden(detail, code="route_forbidden")


# Owning departments of the resource; None only for a create whose body names no target
# (its body validation refuses the request before the handler runs).
Owners = frozenset[str] | None
Resolver = Callable[[AsyncSession, Request], Awaitable[Owners]]

_UUID: Final = TypeAdapter(uuid.UUID)


def _path_id(request: Request, name: str) -> uuid.UUID:
    """The path parameter ``name`` as a UUID; malformed, the 422 FastAPI would give."""
    if name not in request.path_params:
        raise _route_forbidden(f"The route has no path parameter {name!r} to own it by.")
    try:
        return _UUID.validate_python(request.path_params[name])
    except ValidationError as exc:
        raise RequestValidationError(
            [{**error, "loc": ("path", name)} for error in exc.errors()]
        ) from None


async def _body_id(request: Request, name: str) -> uuid.UUID | None:
    """The body field ``name`` as a UUID, validated as the route's body model does; None
    when absent or malformed (the body's own validation then answers 422)."""
    try:
        body: Any = await request.json()
    except ValueError:
        return None
    if not isinstance(body, dict) or name not in body:
        return None
    try:
        return _UUID.validate_python(body[name])
    except ValidationError:
        return None


def _departments(*codes: str | None) -> frozenset[str]:
    return frozenset(code for code in codes if code)


async def _commitment(session: AsyncSession, request: Request) -> Commitment:
    commitment_id = _path_id(request, "commitment_id")
    commitment = await CommitmentRepository(session).get(commitment_id)
    if commitment is None:
        raise NotFound(f"No commitment {commitment_id}.", code="commitment_not_found")
    return commitment


async def _regulator_of(session: AsyncSession, commitment: Commitment) -> str | None:
    version = await CatalogRepository(session).get_version(commitment.matter_version_id)
    return version.regulator_code if version else None


async def _checking_department(session: AsyncSession, request: Request) -> Owners:
    check_id = _path_id(request, "check_id")
    check = await CreditCheckRepository(session).get(check_id)
    if check is None:
        raise NotFound(f"No credit check {check_id}.", code="credit_check_not_found")
    return _departments(check.department)


async def _agency(session: AsyncSession, request: Request) -> Owners:
    """政务服务实施机关: the commitment's agency; signing one, the agency of the matter
    version the credit check in the body was run for."""
    if "commitment_id" in request.path_params:
        return _departments((await _commitment(session, request)).department)
    check_id = await _body_id(request, "credit_check_id")
    if check_id is None:
        return None
    check = await CreditCheckRepository(session).get(check_id)
    if check is None:
        raise NotFound(f"No credit check {check_id}.", code="credit_check_not_found")
    if check.matter_version_id is None:
        # A matter outside the catalog has no agency: the check is its department's, which
        # then learns why no commitment follows (409 credit_check_failed).
        return _departments(check.department)
    version = await CatalogRepository(session).get_version(check.matter_version_id)
    return _departments(version.agency_code if version else None)


async def _related(session: AsyncSession, request: Request) -> Owners:
    """The agency, the matter's regulator, and every department asked to verify."""
    commitment = await _commitment(session, request)
    related = {commitment.department, await _regulator_of(session, commitment)}
    for verification in await CommitmentRepository(session).verifications(commitment.id):
        related |= {verification.assigned_department, verification.assisting_department}
    return _departments(*related)


async def _regulator(session: AsyncSession, request: Request) -> Owners:
    commitment = await _commitment(session, request)
    return _departments(await _regulator_of(session, commitment))


async def _verifier(session: AsyncSession, request: Request) -> Owners:
    verification_id = _path_id(request, "verification_id")
    verification = await CommitmentRepository(session).get_verification(verification_id)
    if verification is None:
        raise NotFound(f"No verification {verification_id}.", code="verification_not_found")
    return _departments(verification.assigned_department, verification.assisting_department)


async def _collecting_department(session: AsyncSession, request: Request) -> Owners:
    """谁采集、谁核实 (LZ §5(1)4): the department that collected the listing."""
    restriction_id = _path_id(request, "restriction_id")
    restriction = await RestrictionRepository(session).get(restriction_id)
    if restriction is None:
        raise NotFound(f"No listing {restriction_id}.", code="restriction_not_found")
    return _departments(restriction.collecting_department)


async def _consent_departments(session: AsyncSession, request: Request) -> Owners:
    """The departments the applicant gave the consent to (LZ §5(1)6)."""
    consent_id = _path_id(request, "consent_id")
    consent = await ConsentRepository(session).get(consent_id)
    if consent is None:
        raise NotFound(f"No consent {consent_id}.", code="consent_not_found")
    return _departments(*consent.given_to)


RESOLVERS: Final[dict[Owner, Resolver]] = {
    Owner.checking_department: _checking_department,
    Owner.agency: _agency,
    Owner.related: _related,
    Owner.regulator: _regulator,
    Owner.verifier: _verifier,
    Owner.collecting_department: _collecting_department,
    Owner.consent_departments: _consent_departments,
}

REFUSALS: Final[dict[Owner, str]] = {
    Owner.checking_department: "A credit check is read by the department that made it.",
    Owner.agency: "Only the agency handling the commitment takes this step.",
    Owner.related: "The commitment belongs to another department.",
    Owner.regulator: "Supervision feedback comes from the matter's regulator.",
    Owner.verifier: "The result is recorded by the department assigned to verify.",
    Owner.collecting_department: "A listing is handled by the department that collected it.",
    Owner.consent_departments: "A consent is used by the departments it was given to.",
}


def sees_every_department(principal: Principal, access: Access) -> bool:
    """An auditor, on a route whose row lets auditors in (reads only)."""
    return Role.auditor in principal.roles and Role.auditor in access.roles


def _access(request: Request) -> Access:
    access = route_access(request)
    if access is None:  # authorize refused it already; never reached
        raise _route_forbidden("The route has no row in the authorisation matrix.")
    return access


async def enforce_owner(request: Request, principal: Authorized, session: SessionDep) -> Principal:
    """The caller, once its department is found among the resource's owners."""
    access = _access(request)
    if access.owner is Owner.none or sees_every_department(principal, access):
        return principal
    resolver = RESOLVERS.get(access.owner)
    if resolver is None:
        raise _route_forbidden(f"No rule resolves the owner {access.owner.value!r} by id.")
    owners = await resolver(session, request)
    if owners is not None and principal.department not in owners:
        raise DepartmentForbidden(REFUSALS[access.owner])
    return principal


Owned = Annotated[Principal, Depends(enforce_owner)]


@dataclass(frozen=True, slots=True)
class Scope:
    """The departments whose rows a list may return: one, or every one (``None``)."""

    department: str | None

    @property
    def region(self) -> str | None:
        """The department's region (its code's first six digits, 行政区划代码)."""
        return self.department[:6] if self.department else None

    def narrowed(self, requested: str | None) -> str | None:
        """The department filter for a list asked for ``requested`` (None: any)."""
        if self.department is None:
            return requested
        if requested is not None and requested != self.department:
            raise DepartmentForbidden("Only the own department's rows are listed.")
        return self.department


async def list_scope(request: Request, principal: Authorized) -> Scope:
    access = _access(request)
    if access.owner not in LIST_OWNERS:
        raise _route_forbidden(f"The owner {access.owner.value!r} does not scope a list.")
    if access.owner is Owner.own_department and sees_every_department(principal, access):
        return Scope(None)
    if principal.department is None:
        raise DepartmentForbidden("The token names no department to list for.")
    return Scope(principal.department)


ListScope = Annotated[Scope, Depends(list_scope)]

OWNER_ENFORCERS.update({enforce_owner, list_scope})
