"""The authorisation matrix: every route, the roles it lets in, and whose resource it is.

One table for the whole service (等保 2.0 least privilege). Routes declare no roles of
their own: the :func:`authorize` dependency looks the route up here, and a route missing
from the table refuses everyone (fail closed). ``owner`` names the ownership rule the
service applies to the resource once it is loaded (docs/domain.md section 7: a department acts
only within its remit; others see only the effect of its listings on a check or profile).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Final

from fastapi import Depends, Request
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from app.core.errors import Forbidden
from app.web.auth import CurrentPrincipal, Principal, Role


class Owner(StrEnum):
    """Whose department must own the resource."""

    none = "none"  # no department rule (catalog, settings, public data)
    own_department = "own_department"  # lists are filtered to the caller's department
    checking_department = "checking_department"  # the department that ran the check
    agency = "agency"  # the agency handling the commitment (政务服务实施机关)
    related = "related"  # agency, verifier, assisting department or regulator
    verifier = "verifier"  # the department assigned (or asked to assist) to verify
    regulator = "regulator"  # the matter's regulator (行业主管部门)
    collecting_department = "collecting_department"  # 谁采集、谁核实 (LZ §5(1)4)
    region = "region"  # the regulator's region or regulated matters (LZ §5(2)2)
    consent_departments = "consent_departments"  # the department(s) consented to (LZ §5(1)6)


# Owners that filter a list (app.web.ownership.ListScope) rather than guard one resource.
LIST_OWNERS: Final = frozenset({Owner.own_department, Owner.region})


@dataclass(frozen=True, slots=True)
class Access:
    roles: frozenset[Role]
    owner: Owner = Owner.none

    @property
    def public(self) -> bool:
        return not self.roles


A, C, V, R, AU, P = (
    Role.admin,
    Role.clerk,
    Role.verifier,
    Role.regulator,
    Role.auditor,
    Role.platform,
)
PUBLIC = Access(frozenset())
EVERY_ROLE = frozenset(Role)


def _(*roles: Role, owner: Owner = Owner.none) -> Access:
    return Access(frozenset(roles), owner)


_COMMITMENT = "/api/v1/commitments/{commitment_id}"
_RESTRICTION = "/api/v1/restrictions/{restriction_id}"
_CREDIT_REPAIR = f"{_RESTRICTION}/credit-repair-applications"

MATRIX: Final[dict[tuple[str, str], Access]] = {
    ("GET", "/healthz"): PUBLIC,
    ("GET", "/readyz"): PUBLIC,
    ("GET", "/metrics"): PUBLIC,
    ("GET", "/api/v1/profiles"): PUBLIC,
    ("GET", "/api/v1/profiles/{name}"): PUBLIC,
    ("GET", "/api/v1/calendar/deadline"): PUBLIC,
    ("GET", "/api/v1/calendar/{year}"): PUBLIC,
    ("PUT", "/api/v1/calendar/{year}"): _(A),
    ("POST", "/api/v1/departments"): _(A),
    ("GET", "/api/v1/departments"): Access(EVERY_ROLE),
    ("GET", "/api/v1/departments/{code}"): Access(EVERY_ROLE),
    ("PATCH", "/api/v1/departments/{code}"): _(A),
    ("POST", "/api/v1/matters"): _(A),
    ("GET", "/api/v1/matters"): _(A),
    ("GET", "/api/v1/matters/{code}"): _(A),
    ("PATCH", "/api/v1/matters/{code}"): _(A),
    ("DELETE", "/api/v1/matters/{code}"): _(A),
    ("GET", "/api/v1/matters/{code}/versions"): _(A),
    ("GET", "/api/v1/public/matters"): PUBLIC,
    ("GET", "/api/v1/public/matters/{code}"): PUBLIC,
    ("POST", "/api/v1/consents"): _(C, P),
    ("GET", "/api/v1/consents/{consent_id}"): _(C, P, AU, owner=Owner.consent_departments),
    ("POST", "/api/v1/consents/{consent_id}/revocation"): _(C, P, owner=Owner.consent_departments),
    ("POST", "/api/v1/credit-checks"): _(C, P),
    ("GET", "/api/v1/credit-checks/{check_id}"): _(C, P, AU, owner=Owner.checking_department),
    ("POST", "/api/v1/commitments"): _(C, P, owner=Owner.agency),
    ("GET", "/api/v1/commitments"): _(C, P, V, R, AU, owner=Owner.own_department),
    ("POST", "/api/v1/commitments/search"): _(C, P, V, R, AU, owner=Owner.own_department),
    ("GET", _COMMITMENT): _(C, P, V, R, AU, owner=Owner.related),
    ("GET", f"{_COMMITMENT}/notice.pdf"): _(C, P, V, R, AU, owner=Owner.related),
    ("GET", f"{_COMMITMENT}/letter.pdf"): _(C, P, V, R, AU, owner=Owner.related),
    ("POST", f"{_COMMITMENT}/supplements"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/decision"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/reminders"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/order-receipt"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/withdrawal"): _(C, P, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/termination"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/rectification"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/revocation"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/verifications"): _(C, V, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/supervision-feedback"): _(R, owner=Owner.regulator),
    ("POST", f"{_COMMITMENT}/rectification-order"): _(C, owner=Owner.agency),
    ("POST", f"{_COMMITMENT}/referrals"): _(C, owner=Owner.agency),
    ("POST", "/api/v1/verifications/{verification_id}/result"): _(V, owner=Owner.verifier),
    ("POST", "/api/v1/restrictions"): _(C),
    ("GET", "/api/v1/restrictions"): _(C, AU, owner=Owner.own_department),
    ("POST", "/api/v1/restrictions/search"): _(C, AU, owner=Owner.own_department),
    ("GET", _RESTRICTION): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/take-up"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/imposition"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/period"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/dismissal"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/verification"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/publication"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/notice"): _(C, owner=Owner.collecting_department),
    ("GET", f"{_RESTRICTION}/notice.pdf"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/notice/receipt"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/objections"): _(C, P, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/objections/{{objection_id}}/review"): _(
        C, owner=Owner.collecting_department
    ),
    ("POST", f"{_RESTRICTION}/rectification"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/lifting-requests"): _(C, P, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/lifting-requests/{{request_id}}/decision"): _(
        C, owner=Owner.collecting_department
    ),
    ("POST", f"{_RESTRICTION}/corrections"): _(C, owner=Owner.collecting_department),
    ("GET", f"{_RESTRICTION}/repair"): _(C, P, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/repair-notice"): _(C, owner=Owner.collecting_department),
    ("GET", f"{_RESTRICTION}/repair-notice.pdf"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/repair-notice/receipt"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/repair-applications"): _(C, P, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/repair-applications/{{application_id}}/decision"): _(
        C, owner=Owner.collecting_department
    ),
    # 信用修复申请 (national rules): 谁认定、谁修复, the collecting department decides
    ("POST", f"{_CREDIT_REPAIR}"): _(C, P, owner=Owner.collecting_department),
    ("GET", f"{_CREDIT_REPAIR}/{{application_id}}"): _(C, P, owner=Owner.collecting_department),
    ("POST", f"{_CREDIT_REPAIR}/{{application_id}}/materials"): _(
        C, P, owner=Owner.collecting_department
    ),
    ("POST", f"{_CREDIT_REPAIR}/{{application_id}}/decision"): _(
        C, owner=Owner.collecting_department
    ),
    ("GET", f"{_CREDIT_REPAIR}/{{application_id}}/decision.pdf"): _(
        C, P, owner=Owner.collecting_department
    ),
    ("GET", f"{_RESTRICTION}/credit-commitment.pdf"): _(C, P, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/referrals"): _(C, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/complaints"): _(C, P, owner=Owner.collecting_department),
    ("POST", f"{_RESTRICTION}/correction-duties/{{duty_id}}/rejection"): _(
        C, owner=Owner.collecting_department
    ),
    ("GET", "/api/v1/public/restrictions"): PUBLIC,
    ("POST", "/api/v1/public/restrictions/search"): PUBLIC,
    ("GET", "/api/v1/public/commitments"): PUBLIC,
    ("POST", "/api/v1/public/commitments/search"): PUBLIC,
    ("GET", "/api/v1/public/documents/{code}"): PUBLIC,
    ("GET", "/api/v1/subjects/{subject_type}/{id_number}/credit-profile"): _(C, P, R),
    ("POST", "/api/v1/credit-profiles/lookup"): _(C, P, R),
    ("GET", "/api/v1/supervision/targets"): _(R, owner=Owner.region),
    ("GET", "/api/v1/supervision/commitments"): _(R, AU, owner=Owner.own_department),
    ("GET", "/api/v1/tasks"): _(C, V, AU, owner=Owner.own_department),
    ("GET", "/api/v1/events"): _(P, AU, owner=Owner.own_department),
    ("GET", "/api/v1/webhooks"): _(A),
    ("POST", "/api/v1/webhooks"): _(A),
    ("DELETE", "/api/v1/webhooks/{subscription_id}"): _(A),
    ("POST", "/api/v1/webhooks/{subscription_id}/personal-data-grant"): _(A),
    ("DELETE", "/api/v1/webhooks/{subscription_id}/personal-data-grant"): _(A),
    ("GET", "/api/v1/webhooks/deliveries"): _(A),
    ("POST", "/api/v1/webhooks/deliveries/{delivery_id}/requeue"): _(A),
    ("GET", "/api/v1/audit-log"): _(AU),
    ("GET", "/api/v1/audit-log/verification"): _(AU),
    ("POST", "/api/v1/joint-punishment/imports"): _(A),
    ("GET", "/api/v1/joint-punishment/imports/{import_id}"): _(A),
    ("GET", "/api/v1/joint-punishment/list-types"): PUBLIC,
    ("GET", "/api/v1/statistics"): _(A, AU),
    ("GET", "/api/v1/statistics/report.pdf"): _(A, AU),
}


def route_access(request: Request) -> Access | None:
    """The matrix row of the route answering ``request``."""
    route = request.scope.get("route")
    return MATRIX.get((request.method, str(getattr(route, "path", ""))))


# The dependencies that enforce a row's owner (app.web.ownership registers them when it is
# imported): a route whose row names an owner and which declares none refuses everyone.
OWNER_ENFORCERS: set[Callable[..., Any]] = set()
_declares_enforcer: dict[tuple[str, str], bool] = {}


def _depends_on(dependant: Dependant, calls: set[Callable[..., Any]]) -> bool:
    return any(d.call in calls or _depends_on(d, calls) for d in dependant.dependencies)


def _enforces_owner(request: Request) -> bool:
    route = request.scope.get("route")
    if not isinstance(route, APIRoute):
        return False
    key = (request.method, route.path)
    known = _declares_enforcer.get(key)
    if known is None:
        known = _declares_enforcer[key] = _depends_on(route.dependant, OWNER_ENFORCERS)
    return known


async def authorize(request: Request, principal: CurrentPrincipal) -> Principal:
    """Let the caller in when the matrix row of this route names one of its roles."""
    access = route_access(request)
    if access is None:
        raise Forbidden("The route has no row in the authorisation matrix.", code="route_forbidden")
    if not principal.has_any(access.roles):
        raise Forbidden(
            "This operation needs one of the roles: "
            + ", ".join(sorted(role.value for role in access.roles)),
            code="role_forbidden",
        )
    if access.owner is not Owner.none and not _enforces_owner(request):
        raise Forbidden("The route does not enforce its owner rule.", code="route_forbidden")
    return principal


Authorized = Annotated[Principal, Depends(authorize)]
