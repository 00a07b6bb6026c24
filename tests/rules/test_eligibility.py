"""Credit check decisions: every failing condition listed, with its citation."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.rules.eligibility import (
    CHECK_SCOPE,
    CheckResult,
    ConsentRecord,
    ConsentState,
    EffectiveRestriction,
    EligibilityRequest,
    JointPunishmentHit,
    JointPunishmentLookup,
    MatterTerms,
    Mode,
    Party,
    ReasonCode,
    assess_consent,
    check_eligibility,
    consent_last_valid_day,
    credit_check_valid_until,
)
from app.rules.joint_punishment import ListType
from app.rules.profiles import HighRiskCategory, Profile, get_profile
from app.rules.restrictions import Situation

D = date
R = ReasonCode
COMBINED = get_profile("shandong-combined")
DEZHOU = get_profile("dezhou-2023")
LINZI = get_profile("linzi-2022")
AS_OF = D(2026, 6, 1)

MATTER = MatterTerms(
    code="370100-001",
    offered_modes=frozenset({Mode.TOLERANCE, Mode.NOTIFY_COMMIT}),
)
CONSENT = ConsentRecord(
    purpose="credit_check", granted_on=D(2026, 1, 10), expires_on=None, scope=CHECK_SCOPE
)
SUBJECT_LISTING = EffectiveRestriction("L-1", Situation.FALSE_MATERIALS, D(2026, 9, 15))
AGENT_LISTING = EffectiveRestriction("L-2", Situation.IDENTITY_FRAUD, None)
JOINT_OK = JointPunishmentLookup(consulted=True)
COURT = ListType.DISHONEST_JUDGMENT_DEBTOR  # its memorandum bars every mode here
TAX = ListType.MAJOR_TAX_VIOLATION  # bars tolerance and notify-commit, not the green channel

BASE = EligibilityRequest(
    matter=MATTER,
    mode=Mode.TOLERANCE,
    purpose="credit_check",
    consent=CONSENT,
    subject_restrictions=(),
    joint_punishment=JOINT_OK,
    as_of=AS_OF,
)

BOTH = (Mode.TOLERANCE, Mode.NOTIFY_COMMIT)
EVERY_MODE_MATTER = replace(MATTER, offered_modes=frozenset(Mode))
NOT_IN_CATALOG = (R.MATTER_NOT_IN_CATALOG,)

CASES = [
    ("all conditions met", BASE, COMBINED, (), BOTH),
    ("not in catalog: unknown", replace(BASE, matter=None), COMBINED, NOT_IN_CATALOG, ()),
    (
        "not in catalog: withdrawn entry",
        replace(BASE, matter=replace(MATTER, in_catalog=False)),
        COMBINED,
        (R.MATTER_NOT_IN_CATALOG,),
        (),
    ),
    (
        "mode not offered by the matter",
        replace(BASE, mode=Mode.GREEN_CHANNEL),
        COMBINED,
        (R.MODE_NOT_OFFERED,),
        BOTH,
    ),
    (
        "green channel offered by the matter and the profile",
        replace(BASE, mode=Mode.GREEN_CHANNEL, matter=EVERY_MODE_MATTER),
        COMBINED,
        (),
        (Mode.GREEN_CHANNEL, Mode.TOLERANCE, Mode.NOTIFY_COMMIT),
    ),
    (
        "green channel not in the Dezhou profile",
        replace(BASE, mode=Mode.GREEN_CHANNEL, matter=EVERY_MODE_MATTER),
        DEZHOU,
        (R.MODE_NOT_OFFERED,),
        BOTH,
    ),
    (
        "high-risk matter: one reason per category",
        replace(
            BASE,
            matter=replace(
                MATTER,
                excluded_categories=frozenset(
                    {HighRiskCategory.PUBLIC_SAFETY, HighRiskCategory.STATE_SECRETS}
                ),
            ),
        ),
        COMBINED,
        (R.MATTER_EXCLUDED_HIGH_RISK, R.MATTER_EXCLUDED_HIGH_RISK),
        (),
    ),
    (
        "high-risk exclusion is not part of the Linzi profile",
        replace(
            BASE,
            matter=replace(MATTER, excluded_categories=frozenset({HighRiskCategory.PUBLIC_SAFETY})),
        ),
        LINZI,
        (),
        BOTH,
    ),
    ("consent missing", replace(BASE, consent=None), COMBINED, (R.CONSENT_MISSING,), ()),
    ("consent not required by Dezhou", replace(BASE, consent=None), DEZHOU, (), BOTH),
    (
        "consent granted after the check day counts as missing",
        replace(BASE, consent=replace(CONSENT, granted_on=D(2026, 6, 2))),
        COMBINED,
        (R.CONSENT_MISSING,),
        (),
    ),
    (
        "consent revoked before the check",
        replace(BASE, consent=replace(CONSENT, revoked_on=D(2026, 5, 1))),
        COMBINED,
        (R.CONSENT_REVOKED,),
        (),
    ),
    (
        "consent revoked on the check day",
        replace(BASE, consent=replace(CONSENT, revoked_on=AS_OF)),
        COMBINED,
        (R.CONSENT_REVOKED,),
        (),
    ),
    (
        "consent revoked only after the check day",
        replace(BASE, consent=replace(CONSENT, revoked_on=D(2026, 6, 2))),
        COMBINED,
        (),
        BOTH,
    ),
    (
        "consent expired the day before",
        replace(BASE, consent=replace(CONSENT, expires_on=D(2026, 5, 31))),
        COMBINED,
        (R.CONSENT_EXPIRED,),
        (),
    ),
    (
        "consent expiring on the check day is still valid",
        replace(BASE, consent=replace(CONSENT, expires_on=AS_OF)),
        COMBINED,
        (),
        BOTH,
    ),
    (
        # 2025-06-01 + 365 days = 2026-06-01 (2026 is not a leap year): last valid day
        "open-ended consent on its last day under the 365-day cap",
        replace(BASE, consent=replace(CONSENT, granted_on=D(2025, 6, 1))),
        COMBINED,
        (),
        BOTH,
    ),
    (
        # 2025-05-31 + 365 days = 2026-05-31
        "open-ended consent past the 365-day cap",
        replace(BASE, consent=replace(CONSENT, granted_on=D(2025, 5, 31))),
        COMBINED,
        (R.CONSENT_EXPIRED,),
        (),
    ),
    (
        "consent for another purpose",
        replace(BASE, consent=replace(CONSENT, purpose="marketing")),
        COMBINED,
        (R.CONSENT_PURPOSE_MISMATCH,),
        (),
    ),
    (
        "consent revoked, expired and for another purpose",
        replace(
            BASE,
            consent=ConsentRecord(
                "marketing", D(2025, 1, 1), D(2025, 12, 31), D(2026, 1, 5), CHECK_SCOPE
            ),
        ),
        COMBINED,
        (R.CONSENT_REVOKED, R.CONSENT_EXPIRED, R.CONSENT_PURPOSE_MISMATCH),
        (),
    ),
    (
        "consent that states no scope",
        replace(BASE, consent=replace(CONSENT, scope=None)),
        COMBINED,
        (R.CONSENT_SCOPE_MISSING,),
        (),
    ),
    (
        "consent limited to another matter",
        replace(BASE, consent=replace(CONSENT, matter_code="370100-999")),
        COMBINED,
        (R.CONSENT_MATTER_MISMATCH,),
        (),
    ),
    (
        "consent limited to this matter",
        replace(BASE, consent=replace(CONSENT, matter_code="370100-001")),
        COMBINED,
        (),
        BOTH,
    ),
    (
        "consent limited to another application",
        replace(
            BASE,
            consent=replace(CONSENT, application_ref="SQ-1"),
            application_ref="SQ-2",
        ),
        COMBINED,
        (R.CONSENT_APPLICATION_MISMATCH,),
        (),
    ),
    (
        "a restriction is not read under an invalid consent",
        replace(BASE, consent=None, subject_restrictions=(SUBJECT_LISTING,)),
        COMBINED,
        (R.CONSENT_MISSING,),
        (),
    ),
    (
        "the joint punishment lists are not read under a consent that does not cover them",
        replace(
            BASE,
            consent=replace(CONSENT, scope=frozenset({"restriction_list"})),
            subject_restrictions=(SUBJECT_LISTING,),
            joint_punishment=JointPunishmentLookup(False),
        ),
        COMBINED,
        (R.CONSENT_SCOPE_INSUFFICIENT, R.RESTRICTION_EFFECTIVE),
        (),
    ),
    (
        "subject restricted",
        replace(BASE, subject_restrictions=(SUBJECT_LISTING,)),
        COMBINED,
        (R.RESTRICTION_EFFECTIVE,),
        (),
    ),
    (
        "agent restricted",
        replace(BASE, agent_restrictions=(AGENT_LISTING,)),
        COMBINED,
        (R.AGENT_RESTRICTION_EFFECTIVE,),
        (),
    ),
    (
        "subject on a list whose memorandum bars every mode",
        replace(
            BASE,
            joint_punishment=JointPunishmentLookup(
                True, (JointPunishmentHit("失信被执行人", "court", list_type=COURT),)
            ),
        ),
        COMBINED,
        (R.JOINT_PUNISHMENT_LISTED,),
        (),
    ),
    (
        "agent on a list whose memorandum bars every mode",
        replace(
            BASE,
            joint_punishment=JointPunishmentLookup(
                True, (JointPunishmentHit("失信被执行人", "court", Party.AGENT, COURT),)
            ),
        ),
        COMBINED,
        (R.JOINT_PUNISHMENT_LISTED,),
        (),
    ),
    (
        "a list that bars tolerance and notify-commit leaves the green channel open",
        replace(
            BASE,
            matter=EVERY_MODE_MATTER,
            joint_punishment=JointPunishmentLookup(
                True, (JointPunishmentHit("重大税收违法失信主体", "tax", list_type=TAX),)
            ),
        ),
        COMBINED,
        (R.JOINT_PUNISHMENT_LISTED,),
        (Mode.GREEN_CHANNEL,),
    ),
    (
        "joint punishment lists unavailable: not performed",
        replace(BASE, joint_punishment=JointPunishmentLookup(consulted=False)),
        COMBINED,
        (R.JOINT_PUNISHMENT_UNAVAILABLE,),
        (),
    ),
    (
        "a hit of an unknown list type: not performed",
        replace(
            BASE,
            joint_punishment=JointPunishmentLookup(True, (JointPunishmentHit("某名单", "x"),)),
        ),
        COMBINED,
        (R.JOINT_PUNISHMENT_LIST_TYPE_UNKNOWN,),
        (),
    ),
    (
        "everything fails at once",
        EligibilityRequest(
            matter=replace(
                MATTER,
                in_catalog=False,
                excluded_categories=frozenset({HighRiskCategory.NATIONAL_SECURITY}),
            ),
            mode=Mode.TOLERANCE,
            purpose="credit_check",
            consent=None,
            subject_restrictions=(SUBJECT_LISTING,),
            agent_restrictions=(AGENT_LISTING,),
            joint_punishment=JointPunishmentLookup(
                False, (JointPunishmentHit("失信被执行人", "court", list_type=COURT),)
            ),
            as_of=AS_OF,
        ),
        DEZHOU,
        (
            R.MATTER_NOT_IN_CATALOG,
            R.MATTER_EXCLUDED_HIGH_RISK,
            R.RESTRICTION_EFFECTIVE,
            R.AGENT_RESTRICTION_EFFECTIVE,
            R.JOINT_PUNISHMENT_UNAVAILABLE,
            R.JOINT_PUNISHMENT_LISTED,
        ),
        (),
    ),
]  # fmt: skip

# Cases whose result is not simply "fail when there is a reason".
RESULTS = {
    "a list that bars tolerance and notify-commit leaves the green channel open": (
        CheckResult.FAIL  # tolerance was asked for
    ),
    "joint punishment lists unavailable: not performed": CheckResult.NOT_PERFORMED,
    "a hit of an unknown list type: not performed": CheckResult.NOT_PERFORMED,
}


@pytest.mark.parametrize(
    ("request_", "profile", "codes", "eligible", "result"),
    [
        pytest.param(
            *case[1:],
            RESULTS.get(case[0], CheckResult.FAIL if case[3] else CheckResult.PASS),
            id=case[0],
        )
        for case in CASES
    ],
)
def test_check_eligibility(
    request_: EligibilityRequest,
    profile: Profile,
    codes: tuple[ReasonCode, ...],
    eligible: tuple[Mode, ...],
    result: CheckResult,
) -> None:
    decision = check_eligibility(request_, profile)
    assert decision.reason_codes == codes
    assert decision.eligible_modes == eligible
    assert decision.result is result
    assert decision.passed is (result is CheckResult.PASS)
    for reason in decision.reasons:
        assert reason.message_zh and reason.message_en and reason.citation.text_zh


@pytest.mark.parametrize(
    ("request_", "profile", "code", "label"),
    [
        (replace(BASE, matter=None), COMBINED, R.MATTER_NOT_IN_CATALOG, "DZ art. 5"),
        (replace(BASE, mode=Mode.GREEN_CHANNEL), COMBINED, R.MODE_NOT_OFFERED, "DZ art. 5"),
        (
            replace(
                BASE,
                mode=Mode.GREEN_CHANNEL,
                matter=replace(MATTER, offered_modes=frozenset(Mode)),
            ),
            DEZHOU,
            R.MODE_NOT_OFFERED,
            "DZ art. 7 ¶1",
        ),
        (
            replace(
                BASE,
                matter=replace(
                    MATTER, excluded_categories=frozenset({HighRiskCategory.PUBLIC_SAFETY})
                ),
            ),
            COMBINED,
            R.MATTER_EXCLUDED_HIGH_RISK,
            "DZ art. 2 ¶2",
        ),
        (replace(BASE, consent=None), COMBINED, R.CONSENT_MISSING, "LZ §5(1)6"),
        (
            replace(BASE, consent=replace(CONSENT, expires_on=D(2026, 5, 31))),
            COMBINED,
            R.CONSENT_EXPIRED,
            "LZ §5(1)6",
        ),
        (
            replace(BASE, subject_restrictions=(SUBJECT_LISTING,)),
            COMBINED,
            R.RESTRICTION_EFFECTIVE,
            "LZ §5(2)1",
        ),
        (
            replace(BASE, subject_restrictions=(SUBJECT_LISTING,)),
            DEZHOU,
            R.RESTRICTION_EFFECTIVE,
            "DZ art. 15 ¶1",
        ),
        (
            replace(BASE, agent_restrictions=(AGENT_LISTING,)),
            COMBINED,
            R.AGENT_RESTRICTION_EFFECTIVE,
            "LZ §3",
        ),
        # Not performed is not "核验未通过": the ordinary procedure, under the provision
        # the profile runs its check under.
        (
            replace(BASE, joint_punishment=JointPunishmentLookup(False)),
            COMBINED,
            R.JOINT_PUNISHMENT_UNAVAILABLE,
            "DZ art. 6 ¶2",
        ),
        (
            replace(BASE, joint_punishment=JointPunishmentLookup(False)),
            LINZI,
            R.JOINT_PUNISHMENT_UNAVAILABLE,
            "LZ §4(1)",
        ),
        (
            replace(
                BASE,
                joint_punishment=JointPunishmentLookup(
                    True, (JointPunishmentHit("重大税收违法失信主体", "tax", list_type=TAX),)
                ),
            ),
            COMBINED,
            R.JOINT_PUNISHMENT_LISTED,
            "LZ §3",
        ),
        (
            replace(BASE, consent=replace(CONSENT, scope=None)),
            LINZI,
            R.CONSENT_SCOPE_MISSING,
            "LZ §5(1)6",
        ),
    ],
)
def test_reason_citations(
    request_: EligibilityRequest, profile: Profile, code: ReasonCode, label: str
) -> None:
    decision = check_eligibility(request_, profile)
    (reason,) = [r for r in decision.reasons if r.code is code]
    assert reason.citation.label == label


def test_high_risk_reason_names_the_category() -> None:
    request_ = replace(
        BASE,
        matter=replace(MATTER, excluded_categories=frozenset({HighRiskCategory.PUBLIC_SAFETY})),
    )
    (reason,) = check_eligibility(request_, COMBINED).reasons
    assert reason.detail == "public_safety"
    assert "公共安全" in reason.message_zh


def test_restriction_reason_names_the_listing() -> None:
    request_ = replace(BASE, subject_restrictions=(SUBJECT_LISTING,))
    (reason,) = check_eligibility(request_, COMBINED).reasons
    assert reason.detail == "L-1"
    assert "2026-09-15" in reason.message_zh


@pytest.mark.parametrize(
    ("consent", "profile", "last_day"),
    [
        (CONSENT, COMBINED, D(2027, 1, 10)),  # 2026-01-10 + 365 days
        (replace(CONSENT, expires_on=D(2026, 3, 1)), COMBINED, D(2026, 3, 1)),
        (replace(CONSENT, expires_on=D(2028, 1, 1)), COMBINED, D(2027, 1, 10)),  # capped
        (CONSENT, DEZHOU, None),  # no maximum, no end
    ],
)
def test_consent_last_valid_day(consent: ConsentRecord, profile: Profile, last_day: date) -> None:
    assert consent_last_valid_day(consent, profile) == last_day


def test_assess_consent_states() -> None:
    assert (
        assess_consent(None, purpose="credit_check", as_of=AS_OF, profile=COMBINED).state
        is ConsentState.MISSING
    )
    valid = assess_consent(CONSENT, purpose="credit_check", as_of=AS_OF, profile=COMBINED)
    assert (valid.state, valid.problems, valid.last_valid_day) == (
        ConsentState.VALID,
        (),
        D(2027, 1, 10),
    )
    other = assess_consent(CONSENT, purpose="other", as_of=AS_OF, profile=COMBINED)
    assert other.state is ConsentState.OTHER_PURPOSE


@pytest.mark.parametrize(
    ("profile", "checked_on", "valid_until"),
    [
        (COMBINED, D(2026, 6, 1), D(2026, 6, 2)),
        (DEZHOU, D(2026, 12, 31), D(2027, 1, 1)),
    ],
)
def test_credit_check_valid_until(profile: Profile, checked_on: date, valid_until: date) -> None:
    assert credit_check_valid_until(profile, checked_on) == valid_until


def test_consent_scope_must_cover_what_the_check_reads() -> None:
    needed = frozenset({"restriction_list", "joint_punishment"})
    narrow = ConsentRecord("credit_check", D(2026, 1, 10), None, scope=frozenset({"credit_record"}))
    wide = ConsentRecord("credit_check", D(2026, 1, 10), None, scope=needed | {"credit_record"})
    unstated = ConsentRecord("credit_check", D(2026, 1, 10), None)

    def state(consent: ConsentRecord) -> ConsentState:
        return assess_consent(
            consent, purpose="credit_check", as_of=AS_OF, profile=COMBINED, required_scope=needed
        ).state

    assert state(narrow) is ConsentState.SCOPE_INSUFFICIENT
    # A consent that states no scope is not valid at all (LZ §5(1)6), whatever is read.
    assert state(unstated) is ConsentState.SCOPE_MISSING
    assert state(wide) is ConsentState.VALID
    # Without a required scope, a stated scope is enough.
    assert assess_consent(narrow, purpose="credit_check", as_of=AS_OF, profile=COMBINED).state is (
        ConsentState.VALID
    )
    assert assess_consent(
        unstated, purpose="credit_check", as_of=AS_OF, profile=COMBINED
    ).state is (ConsentState.SCOPE_MISSING)


def test_excluded_matter_without_modes_gives_only_the_high_risk_reason() -> None:
    # The catalog stores a high-risk matter with no facilitation mode at all.
    excluded = MatterTerms(
        code="370100-002",
        offered_modes=frozenset(),
        excluded_categories=frozenset({HighRiskCategory.PUBLIC_SAFETY}),
    )
    decision = check_eligibility(replace(BASE, matter=excluded), COMBINED)
    assert decision.reason_codes == (R.MATTER_EXCLUDED_HIGH_RISK,)
    assert decision.eligible_modes == ()
