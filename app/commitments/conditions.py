"""Conditions to meet (DZ art. 7 ¶3 "暂未完全具备办理条件", art. 9 ¶2 "在承诺期限内…达到
承诺具备的相应条件"): what a notify-commit letter may commit to meet later, checked when it
is signed against the matter's conditions and limits (reading ``conditions_to_meet``)."""

from __future__ import annotations

from datetime import date

from app.catalog.schemas import MatterModes
from app.commitments.errors import (
    ConditionNotOfMatter,
    ConditionsToMeetIncomplete,
    ConditionsToMeetNotOffered,
    MeetByOutOfRange,
)
from app.commitments.schemas import CommitmentCreate
from app.rules.calendar import WorkingCalendar
from app.rules.commitments import latest_meet_by, matter_conditions, meet_by_refusal
from app.rules.profiles import Mode, Profile
from app.rules.readings import ReadingName

_FIELD = "body.conditions_to_meet"


def _offered(data: CommitmentCreate, modes: MatterModes, profile: Profile) -> str | None:
    """Why the letter cannot name conditions to meet (None when it can)."""
    if data.mode is not Mode.NOTIFY_COMMIT or modes.notify_commit is None:
        return "only a notify_commit letter names conditions to meet (DZ art. 7 ¶3)"
    if not any(r.name is ReadingName.CONDITIONS_TO_MEET for r in profile.readings):
        return f"the profile {profile.name} has no conditions to meet later"
    if modes.notify_commit.exempt_from_verification:
        return "the matter is exempt from verification: nobody would check them (DZ art. 12 ¶2)"
    return None


def conditions_to_meet(
    data: CommitmentCreate,
    modes: MatterModes,
    profile: Profile,
    calendar: WorkingCalendar,
    *,
    signed_on: date,
    decision_due: date,
) -> tuple[list[str], date | None]:
    """The conditions the letter commits to meet and the day, checked: each one of the
    matter's conditions, the day after the signature and within the matter's
    verification period counted from the end of its completion limit."""
    conditions = list(dict.fromkeys(c.strip() for c in data.conditions_to_meet))
    if not conditions and data.meet_by is None:
        return [], None
    why_not = _offered(data, modes, profile)
    if why_not is not None:
        raise ConditionsToMeetNotOffered(
            "This letter cannot name conditions to meet later.", _FIELD, why_not
        )
    if not conditions or data.meet_by is None:
        missing = "body.meet_by" if data.meet_by is None else _FIELD
        raise ConditionsToMeetIncomplete(
            "Conditions to meet and the day to meet them by are given together.",
            missing,
            "required with the other",
        )
    terms = modes.notify_commit
    assert terms is not None and terms.verification_limit is not None  # checked above
    allowed = matter_conditions(terms.conditions)
    unknown = [c for c in conditions if c not in allowed]
    if unknown:
        raise ConditionNotOfMatter(
            f"Not a condition of the matter: {'；'.join(unknown)}.",
            _FIELD,
            f"the matter's conditions: {'；'.join(allowed)}",
        )
    latest = latest_meet_by(
        calendar, decision_due, terms.verification_limit.amount, terms.verification_limit.unit
    )
    why = meet_by_refusal(data.meet_by, signed_on, latest.date)
    if why is not None:
        raise MeetByOutOfRange(f"{why}.", "body.meet_by", why)
    return conditions, data.meet_by
