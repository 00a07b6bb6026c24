"""Deadlines named by the tables, computed from the profile or the case's period."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Final

from app.rules.calendar import WorkingCalendar
from app.rules.citations import DZ_7_2, DZ_7_3, DZ_11_1, DZ_13_2, Basis, Citation
from app.rules.lifecycles.states import DeadlineRule
from app.rules.periods import Deadline, Unit, add_months, compute_deadline
from app.rules.profiles import Parameter, Profile
from app.rules.repair import REPAIR_DECISION, REPAIR_NOTICE, repair_parameter
from app.rules.supervision import RECTIFICATION_ORDER, supervision_parameter


@dataclass(frozen=True, slots=True)
class AgencyPeriod:
    """A period given by the catalog entry or set by the agency for one case."""

    amount: int
    unit: Unit


class MissingDeadlineInput(ValueError):
    """The rule needs a period from the catalog or the agency and none was given."""


class DeadlineBelowMinimum(ValueError):
    def __init__(self, rule: DeadlineRule, given: date, minimum: Deadline) -> None:
        self.rule = rule
        self.given = given
        self.minimum = minimum
        super().__init__(
            f"{rule}: {given.isoformat()} is earlier than the minimum "
            f"{minimum.date.isoformat()} ({minimum.citation_label})"
        )


_CASE_PERIOD_CITATIONS: Final[Mapping[DeadlineRule, Citation]] = MappingProxyType(
    {
        DeadlineRule.SUPPLEMENT_DUE: DZ_7_2,
        DeadlineRule.DECISION_DUE: DZ_7_3,
        DeadlineRule.VERIFICATION_DUE: DZ_11_1,
        DeadlineRule.RECTIFICATION_DUE: DZ_13_2,
    }
)


def _with_citations(deadline: Deadline, *citations: Citation) -> Deadline:
    extra = tuple(c for c in citations if c not in deadline.citation)
    return dataclasses.replace(deadline, citation=deadline.citation + extra)


def _from_parameter(cal: WorkingCalendar, start: date, parameter: Parameter) -> Deadline:
    if parameter.value is None or parameter.unit is None:
        raise MissingDeadlineInput(f"{parameter.name} is set by the agency; give the period")
    deadline = compute_deadline(cal, start, parameter.value, parameter.unit, roll_forward=True)
    return _with_citations(deadline, parameter.citation, *parameter.also_cites)


def _from_period(cal: WorkingCalendar, start: date, period: AgencyPeriod) -> Deadline:
    return compute_deadline(cal, start, period.amount, period.unit, roll_forward=True)


def _reminder_due(
    cal: WorkingCalendar, profile: Profile, start: date, period: AgencyPeriod | None
) -> Deadline:
    grace = profile.reminder_grace
    if grace.basis is not Basis.AGENCY_SET:
        if period is not None:
            raise ValueError(
                f"{profile.name}: the reminder grace is fixed by {grace.citation.label}"
            )
        return _from_parameter(cal, start, grace)
    if period is None:
        return _from_parameter(cal, start, grace)
    deadline = _with_citations(_from_period(cal, start, period), grace.citation)
    if grace.value is not None:
        minimum = _from_parameter(cal, start, grace)
        if deadline.date < minimum.date:
            raise DeadlineBelowMinimum(DeadlineRule.REMINDER_DUE, deadline.date, minimum)
        deadline = dataclasses.replace(
            deadline, provisional=deadline.provisional or minimum.provisional
        )
    return deadline


def compute_rule_deadline(
    rule: DeadlineRule,
    *,
    calendar: WorkingCalendar,
    profile: Profile,
    start: date,
    period: AgencyPeriod | None = None,
) -> Deadline:
    """Compute the deadline named by ``rule``, counted from ``start``: the event's day; for
    a reminder or an order to rectify, the day it was served, and for a verification of
    conditions to meet by a later day, that day (:mod:`app.rules.commitments`).

    Catalog or agency periods (supplement, decision, verification, rectification) come
    in ``period``; the reminder grace comes from the profile, or from ``period`` when
    the agency sets it (not shorter than the profile's minimum, if any); the other rules
    come from the profile. Periods for an act roll forward over rest days
    (民法典 art. 203); the management period never does.
    """
    match rule:
        case (
            DeadlineRule.SUPPLEMENT_DUE
            | DeadlineRule.DECISION_DUE
            | DeadlineRule.VERIFICATION_DUE
            | DeadlineRule.RECTIFICATION_DUE
        ):
            if period is None:
                raise MissingDeadlineInput(f"{rule}: give the period from the catalog or agency")
            return _with_citations(
                _from_period(calendar, start, period), _CASE_PERIOD_CITATIONS[rule]
            )
        case DeadlineRule.REMINDER_DUE:
            return _reminder_due(calendar, profile, start, period)
        case DeadlineRule.NOTICE_DUE:
            return _from_parameter(calendar, start, profile.listing_notice)
        case DeadlineRule.OBJECTION_DUE:
            return _from_parameter(calendar, start, profile.objection_window)
        case DeadlineRule.REVIEW_DUE:
            return _from_parameter(calendar, start, profile.objection_review)
        case DeadlineRule.CORRECTION_DUE:
            return _from_parameter(calendar, start, profile.correction)
        case DeadlineRule.LIFTING_DECISION_DUE:
            return _from_parameter(calendar, start, profile.early_lifting_verification)
        case DeadlineRule.REPAIR_NOTICE_DUE:
            return _from_parameter(calendar, start, repair_parameter(profile, REPAIR_NOTICE))
        case DeadlineRule.REPAIR_DECISION_DUE:
            return _from_parameter(calendar, start, repair_parameter(profile, REPAIR_DECISION))
        case DeadlineRule.RECTIFICATION_ORDER_DUE:
            parameter = supervision_parameter(profile, RECTIFICATION_ORDER)
            return _from_parameter(calendar, start, parameter)
        case DeadlineRule.PERIOD_END:
            parameter = profile.management_period
            if parameter.value is None:
                raise MissingDeadlineInput(f"{profile.name}: no management period")
            return _with_citations(add_months(start, parameter.value), parameter.citation)
