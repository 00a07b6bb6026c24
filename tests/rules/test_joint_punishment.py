"""联合奖惩 (LZ §3 "从其规定处理"): each list type bars what its memorandum provides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from app.rules.eligibility import (
    CHECK_SCOPE,
    CheckResult,
    ConsentRecord,
    EligibilityRequest,
    JointPunishmentHit,
    JointPunishmentLookup,
    MatterTerms,
    Mode,
    ReasonCode,
    categories_to_read,
    check_eligibility,
)
from app.rules.joint_punishment import (
    LIST_TYPE_RULES,
    ListType,
    configured_list_type,
    list_type_of,
)
from app.rules.profiles import Basis, get_profile

COMBINED = get_profile("shandong-combined")
DEZHOU = get_profile("dezhou-2023")
EVERY_MODE = MatterTerms("370100-001", frozenset(Mode))
CONSENT = ConsentRecord("credit_facilitation", date(2026, 1, 10), None, scope=CHECK_SCOPE)


def _request(mode: Mode, *hits: JointPunishmentHit) -> EligibilityRequest:
    return EligibilityRequest(
        matter=EVERY_MODE,
        mode=mode,
        purpose="credit_facilitation",
        consent=CONSENT,
        subject_restrictions=(),
        joint_punishment=JointPunishmentLookup(True, hits),
        as_of=date(2026, 6, 1),
    )


TAX_HIT = JointPunishmentHit(
    "重大税收违法失信主体", "国家税务总局", list_type=ListType.MAJOR_TAX_VIOLATION
)


def test_a_list_that_bars_some_modes_lets_the_others_pass() -> None:
    green = check_eligibility(_request(Mode.GREEN_CHANNEL, TAX_HIT), COMBINED)
    assert (green.result, green.eligible_modes) == (CheckResult.PASS, (Mode.GREEN_CHANNEL,))
    # The reason says which modes the memorandum bars, and under which memorandum.
    (reason,) = green.reasons
    assert reason.code is ReasonCode.JOINT_PUNISHMENT_LISTED
    assert reason.barred_modes == frozenset({Mode.TOLERANCE, Mode.NOTIFY_COMMIT})
    assert "对重大税收违法案件当事人实施联合惩戒措施的合作备忘录" in reason.message_zh
    tolerance = check_eligibility(_request(Mode.TOLERANCE, TAX_HIT), COMBINED)
    assert (tolerance.result, tolerance.eligible_modes) == (CheckResult.FAIL, (Mode.GREEN_CHANNEL,))


def test_a_list_that_bars_every_mode_leaves_none() -> None:
    court = JointPunishmentHit(
        "失信被执行人", "最高人民法院", list_type=ListType.DISHONEST_JUDGMENT_DEBTOR
    )
    decision = check_eligibility(_request(Mode.GREEN_CHANNEL, court), COMBINED)
    assert (decision.result, decision.eligible_modes) == (CheckResult.FAIL, ())
    assert "发改财金〔2016〕141号" in decision.reasons[0].message_zh


def test_a_definite_bar_fails_even_while_another_list_is_unreadable() -> None:
    court = JointPunishmentHit(
        "失信被执行人", "最高人民法院", list_type=ListType.DISHONEST_JUDGMENT_DEBTOR
    )
    request = replace(
        _request(Mode.TOLERANCE), joint_punishment=JointPunishmentLookup(False, (court,))
    )
    decision = check_eligibility(request, COMBINED)
    assert decision.result is CheckResult.FAIL
    assert decision.eligible_modes == ()


@pytest.mark.parametrize(
    ("name", "declared", "expected"),
    [
        ("失信被执行人名单", None, ListType.DISHONEST_JUDGMENT_DEBTOR),
        (" 失信被执行人 ", "", ListType.DISHONEST_JUDGMENT_DEBTOR),
        ("重大税收违法失信主体", None, ListType.MAJOR_TAX_VIOLATION),
        ("某地方名单", "major_tax_violation", ListType.MAJOR_TAX_VIOLATION),
        ("某地方名单", None, ListType.UNCLASSIFIED),
        ("失信被执行人", "no_such_type", ListType.UNCLASSIFIED),
        ("失信被执行人", "unclassified", ListType.UNCLASSIFIED),
    ],
)
def test_the_type_of_an_entry(name: str, declared: str | None, expected: ListType) -> None:
    assert list_type_of(name, declared) is expected


def test_only_configured_types_are_accepted() -> None:
    assert configured_list_type("dishonest_judgment_debtor") is ListType.DISHONEST_JUDGMENT_DEBTOR
    assert configured_list_type("unclassified") is None
    assert configured_list_type("x") is None


def test_every_list_type_names_its_memorandum_as_a_deployment_choice() -> None:
    assert set(LIST_TYPE_RULES) == set(ListType) - {ListType.UNCLASSIFIED}
    for rule in LIST_TYPE_RULES.values():
        assert rule.basis is Basis.DEPLOYMENT_CHOICE
        assert rule.citation.label == "LZ §3"
        assert "从其规定处理" in rule.citation.text_zh
        assert rule.memorandum.title_zh and rule.barred_modes
        assert rule.description_zh and rule.description_en
        assert rule.barred_modes | rule.open_modes == frozenset(Mode)


def test_nothing_is_read_without_a_consent_that_covers_it() -> None:
    request = _request(Mode.TOLERANCE)
    assert categories_to_read(request, COMBINED) == CHECK_SCOPE
    narrow = ConsentRecord(
        "credit_facilitation", date(2026, 1, 10), None, scope=frozenset({"restriction_list"})
    )
    for consent, read in [
        (None, frozenset()),
        (narrow, frozenset({"restriction_list"})),
        (ConsentRecord("credit_facilitation", date(2026, 1, 10), None), frozenset()),
        (replace(CONSENT, matter_code="370100-999"), frozenset()),
    ]:
        changed = replace(request, consent=consent)
        assert categories_to_read(changed, COMBINED) == read
        # Dezhou asks no consent: the check reads what it needs.
        assert categories_to_read(changed, DEZHOU) == CHECK_SCOPE
