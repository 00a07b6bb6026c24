"""失信制约名单: the state of listings and of a subject on a given day, derived from history.

Nothing here is stored: a credit check and the public list read the state by date
from the recorded facts, so a late background job can neither keep anyone listed a
day too long nor free them too early.

Day semantics (all bounds are whole days, Asia/Shanghai):

- The management period (管理期限, LZ §5(1)5) runs from the publication day; its last
  day ``period_ends_on`` is N months later (民法典 arts. 201, 202), never moved for a
  holiday. The subject is restricted on the publication day and on the last day.
- A listing is **effective** on day X when ``published_on <= X`` and X is before each
  of ``withdrawn_on``, ``lifted_on`` and ``repaired_on`` (those days are no longer
  restricted).
- ``repaired_on`` (信用修复): the day after the period end when the listing was
  rectified on or before that end; otherwise the rectification day (the listing stays
  effective past its end until rectification is recorded).
- Only facts dated on or before X are taken into account, so asking about a past day
  gives the answer that held on that day.
- **Restart** (重新计算管理期限): listing B of the same subject restarts listing A when B
  is published, not withdrawn, published within A's (possibly already restarted)
  period while A is neither lifted nor withdrawn, and B's dishonest act happened within
  that period (``occurred_on``; taken as ``published_on`` when unknown). A's period then
  ends with B's. Repeated until nothing changes, so chains restart too.
- A withdrawn listing (overturned on review or removed by correction) restarts nothing
  from its withdrawal day on.
- Each listing is read under the profile it was made under (``ListingHistory.profile``),
  and only a listing of the same scheme (a shared regime) restarts it: a Dezhou
  restriction does not restart a Linzi period.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from app.rules.citations import (
    DZ_15_2_LIFT,
    LZ_5_1_2,
    LZ_5_1_4_CORRECTION,
    LZ_5_1_5_PERIOD,
    LZ_5_1_5_REPAIR,
    Citation,
)
from app.rules.jurisdiction import Effect, same_scheme
from app.rules.national import publicity_months
from app.rules.periods import shift_months
from app.rules.profiles import SHANDONG_COMBINED, Profile, get_profile

_ONE_DAY = timedelta(days=1)


class Situation(StrEnum):
    """The five dishonesty situations (失信制约认定情形, LZ §5(1)2)."""

    IDENTITY_FRAUD = "identity_fraud"
    FALSE_MATERIALS = "false_materials"
    TOLERANCE_UNFULFILLED = "tolerance_unfulfilled"
    COMMITMENT_UNTRUE = "commitment_untrue"
    OTHER = "other"

    @property
    def label_zh(self) -> str:
        return _SITUATION_LABELS_ZH[self]

    @property
    def citation(self) -> Citation:
        return LZ_5_1_2


_SITUATION_LABELS_ZH: Final[dict[Situation, str]] = {
    Situation.IDENTITY_FRAUD: "冒用他人身份信息申请政务服务，尚不构成行政处罚",
    Situation.FALSE_MATERIALS: "隐瞒事实或提供虚假材料申请政务服务，尚不构成行政处罚",
    Situation.TOLERANCE_UNFULFILLED: "容缺受理经催告后3个工作日内仍未提交申请资料",
    Situation.COMMITMENT_UNTRUE: "告知承诺审批后核实实际情况达不到承诺内容",
    Situation.OTHER: "政务服务中的其他失信行为，尚不构成惩戒",
}


@dataclass(frozen=True, slots=True)
class ListingHistory:
    """Recorded dates of one listing. ``withdrawn_on`` covers overturned and removed."""

    listing_id: str
    subject_key: str
    published_on: date | None
    rectified_on: date | None = None
    lifted_on: date | None = None
    withdrawn_on: date | None = None
    occurred_on: date | None = None  # 失信行为发生日, when known
    # The listing's own management period where another rule sets it (LZ §5(1)5:
    # "另有规定的，依照其规定执行"); None: the profile's.
    period_months: int | None = None
    profile: str | None = None  # made under; None: the profile the caller gives
    # 信用修复 granted on application (国家发展改革委令第36号 art. 3): repaired that day.
    repair_granted_on: date | None = None


class ListingStatus(StrEnum):
    UNPUBLISHED = "unpublished"
    EFFECTIVE = "effective"
    REPAIRED = "repaired"
    LIFTED = "lifted"
    WITHDRAWN = "withdrawn"


_STATUS_CITATIONS: Final[dict[ListingStatus, Citation]] = {
    ListingStatus.UNPUBLISHED: LZ_5_1_5_PERIOD,
    ListingStatus.EFFECTIVE: LZ_5_1_5_PERIOD,
    ListingStatus.REPAIRED: LZ_5_1_5_REPAIR,
    ListingStatus.LIFTED: DZ_15_2_LIFT,
    ListingStatus.WITHDRAWN: LZ_5_1_4_CORRECTION,
}


@dataclass(frozen=True, slots=True)
class ListingView:
    """One listing as it stands on ``as_of``.

    - ``period_ends_on``: last restricted day of the (restarted) management period.
    - ``own_period_ends_on``: the end without restarts.
    - ``restarted_by``: listings that restarted the period, in order.
    - ``repaired_on``: day of repair when it follows from the facts known on ``as_of``
      (it may lie in the future: rectified, period still running).
    - ``ended_with_rectification``: None while the period runs (or without a period);
      once it has ended, True when rectified on or before its end, else False.
    - ``awaiting_rectification``: effective past the period end, not rectified: the end
      is open.
    - ``publicly_visible``: on the public list (effective, within any publicity cap, made
      under a regime that publishes).
    """

    listing_id: str
    as_of: date
    status: ListingStatus
    effective: bool
    published_on: date | None
    period_ends_on: date | None
    own_period_ends_on: date | None
    restarted_by: tuple[str, ...]
    repaired_on: date | None
    ended_with_rectification: bool | None
    awaiting_rectification: bool
    publicly_visible: bool

    @property
    def citation(self) -> Citation:
        return _STATUS_CITATIONS[self.status]


@dataclass(frozen=True, slots=True)
class SubjectRestriction:
    """A subject's restriction on ``as_of``.

    ``restricted_until`` is the last restricted day (the latest period end among the
    effective listings), assuming listings not yet rectified are rectified by their
    period end (see ``unrectified_listing_ids``). It is None when the subject is not
    restricted, or when the end is open because an effective listing is past its period
    end and not rectified (``awaiting_rectification``), or when the profile has no
    management period.
    """

    as_of: date
    effective: bool
    restricted_until: date | None
    awaiting_rectification: bool
    effective_listing_ids: tuple[str, ...]
    unrectified_listing_ids: tuple[str, ...]


def _known(d: date | None, as_of: date) -> date | None:
    """A recorded date counts only from that day on."""
    return d if d is not None and d <= as_of else None


@dataclass(frozen=True, slots=True)
class _Known:
    listing_id: str
    subject_key: str
    published_on: date | None
    rectified_on: date | None
    lifted_on: date | None
    withdrawn_on: date | None
    act_on: date | None
    period_months: int | None
    profile: Profile
    repair_granted_on: date | None = None

    @classmethod
    def of(cls, listing: ListingHistory, as_of: date, profile: Profile) -> _Known:
        published = _known(listing.published_on, as_of)
        return cls(
            profile=get_profile(listing.profile) if listing.profile else profile,
            listing_id=listing.listing_id,
            subject_key=listing.subject_key,
            published_on=published,
            rectified_on=_known(listing.rectified_on, as_of),
            lifted_on=_known(listing.lifted_on, as_of),
            withdrawn_on=_known(listing.withdrawn_on, as_of),
            act_on=listing.occurred_on if listing.occurred_on is not None else published,
            period_months=listing.period_months,
            repair_granted_on=_known(listing.repair_granted_on, as_of),
        )

    def stopped_on(self) -> date | None:
        """First day the listing is ended by lifting or withdrawal, if any."""
        ends = (self.lifted_on, self.withdrawn_on, self.repair_granted_on)
        stops = [d for d in ends if d is not None]
        return min(stops) if stops else None


def _resolve(profile: Profile | None) -> Profile:
    """For a history naming no profile: the one given, else the combined one (the reading
    of every listing before listings recorded their profile)."""
    return profile if profile is not None else SHANDONG_COMBINED


def _period_end(
    target: _Known, others: Sequence[_Known], months: int, restart: bool, default: int
) -> tuple[date, tuple[str, ...]]:
    """The target's period of ``months``, restarted by later listings, each of its own
    period (``default``: the profile's)."""
    assert target.published_on is not None
    start = target.published_on
    end = shift_months(start, months)
    if not restart:
        return end, ()
    stopped = target.stopped_on()
    candidates = sorted(
        (
            o
            for o in others
            if o.listing_id != target.listing_id
            and o.subject_key == target.subject_key
            and o.published_on is not None
            and o.withdrawn_on is None
            and same_scheme(o.profile.jurisdiction, target.profile.jurisdiction)
        ),
        key=lambda o: (o.published_on, o.listing_id),
    )
    restarted_by: list[str] = []
    changed = True
    while changed:
        changed = False
        for other in candidates:
            if other.listing_id in restarted_by:
                continue
            published = other.published_on
            act = other.act_on
            assert published is not None and act is not None
            if not (start <= published <= end and start <= act <= end):
                continue
            if stopped is not None and published >= stopped:
                continue
            restarted_by.append(other.listing_id)
            own = other.period_months or other.profile.management_period_months or default
            end = max(end, shift_months(published, own))
            changed = True
    return end, tuple(restarted_by)


def _view(target: _Known, known: Sequence[_Known], as_of: date) -> ListingView:
    profile = target.profile
    default = months = profile.management_period_months
    if months is not None and target.period_months is not None:
        months = target.period_months  # another rule's period (LZ §5(1)5)
    published = target.published_on
    if published is None:
        status = ListingStatus.WITHDRAWN if target.withdrawn_on else ListingStatus.UNPUBLISHED
        return ListingView(
            listing_id=target.listing_id,
            as_of=as_of,
            status=status,
            effective=False,
            published_on=None,
            period_ends_on=None,
            own_period_ends_on=None,
            restarted_by=(),
            repaired_on=None,
            ended_with_rectification=None,
            awaiting_rectification=False,
            publicly_visible=False,
        )
    period_end: date | None = None
    own_end: date | None = None
    restarted_by: tuple[str, ...] = ()
    repaired_on: date | None = None
    ended_with_rectification: bool | None = None
    if months is not None:
        own_end = shift_months(published, months)
        assert default is not None
        period_end, restarted_by = _period_end(
            target, known, months, profile.restart_on_new_listing, default
        )
        rectified = target.rectified_on
        if rectified is not None:
            repaired_on = period_end + _ONE_DAY if rectified <= period_end else rectified
        if as_of > period_end:
            ended_with_rectification = rectified is not None and rectified <= period_end
    granted = target.repair_granted_on
    if granted is not None and (repaired_on is None or granted < repaired_on):
        repaired_on = granted  # repaired on application: that day (NDRC order 36 art. 3)

    if target.withdrawn_on is not None:
        status = ListingStatus.WITHDRAWN
    elif target.lifted_on is not None:
        status = ListingStatus.LIFTED
    elif repaired_on is not None and repaired_on <= as_of:
        status = ListingStatus.REPAIRED
    else:
        status = ListingStatus.EFFECTIVE
    effective = status is ListingStatus.EFFECTIVE
    awaiting = effective and period_end is not None and as_of > period_end
    return ListingView(
        listing_id=target.listing_id,
        as_of=as_of,
        status=status,
        effective=effective,
        published_on=published,
        period_ends_on=period_end,
        own_period_ends_on=own_end,
        restarted_by=restarted_by,
        repaired_on=repaired_on,
        ended_with_rectification=ended_with_rectification,
        awaiting_rectification=awaiting,
        publicly_visible=effective
        and _publishes(profile)
        and _within_publicity(published, as_of, profile),
    )


def _publishes(profile: Profile) -> bool:
    """Only a regime with a public list publishes (LZ §5(1)5); DZ has none."""
    return any(r.effect is Effect.PUBLIC_LIST for r in profile.jurisdiction.effect_rules)


def _within_publicity(published: date, as_of: date, profile: Profile) -> bool:
    """A publicity period shorter than the management period caps the public list;
    otherwise (the default: equal) a listing is public for as long as it is effective.
    The period is the one in force on the publication day (app.rules.national): public on
    the publication day and up to the corresponding day N months later (民法典 art. 202)."""
    publicity = publicity_months(profile, published)
    months = profile.management_period_months
    if publicity is None or (months is not None and publicity >= months):
        return True
    return as_of <= shift_months(published, publicity)


def _find(listings: Iterable[ListingHistory], listing_id: str) -> ListingHistory:
    for listing in listings:
        if listing.listing_id == listing_id:
            return listing
    raise KeyError(f"no listing {listing_id!r}")


def listing_state_on(
    listings: Sequence[ListingHistory],
    listing_id: str,
    as_of: date,
    *,
    profile: Profile | None = None,
) -> ListingView:
    """State of one listing on ``as_of``; ``listings`` holds the subject's other listings
    (listings of other subjects are ignored)."""
    resolved = _resolve(profile)
    target = _find(listings, listing_id)
    known = [_Known.of(listing, as_of, resolved) for listing in listings]
    return _view(_Known.of(target, as_of, resolved), known, as_of)


def subject_restriction_on(
    listings: Sequence[ListingHistory],
    as_of: date,
    *,
    profile: Profile | None = None,
) -> SubjectRestriction:
    """Restriction of one subject on ``as_of``; all ``listings`` must share a subject."""
    subjects = {listing.subject_key for listing in listings}
    if len(subjects) > 1:
        raise ValueError(f"listings of several subjects given: {sorted(subjects)}")
    resolved = _resolve(profile)
    known = [_Known.of(listing, as_of, resolved) for listing in listings]
    views = [_view(k, known, as_of) for k in known]
    effective = [v for v in views if v.effective]
    awaiting = any(v.awaiting_rectification for v in effective)
    ends = [v.period_ends_on for v in effective if v.period_ends_on is not None]
    restricted_until = (
        max(ends) if effective and not awaiting and len(ends) == len(effective) else None
    )
    return SubjectRestriction(
        as_of=as_of,
        effective=bool(effective),
        restricted_until=restricted_until,
        awaiting_rectification=awaiting,
        effective_listing_ids=tuple(v.listing_id for v in effective),
        unrectified_listing_ids=tuple(v.listing_id for v in effective if v.repaired_on is None),
    )
