"""Built-in rule profiles: every row of docs/domain.md section 9, with its citation."""

from __future__ import annotations

import json

import pytest

from app.rules.citations import CIVIL_CODE_201, DZ_15_2, LZ_5_1_4_OBJECTION, Citation
from app.rules.periods import Unit
from app.rules.profiles import (
    PROFILES,
    Basis,
    HighRiskCategory,
    Mode,
    ParameterName,
    ParameterNotInProfile,
    UnknownProfile,
    get_profile,
)

P = ParameterName
WD = Unit.WORKING_DAYS
DAYS = Unit.DAYS
CHOICE = Basis.DEPLOYMENT_CHOICE
NATIONAL_22 = "国办发〔2025〕22号 §二"

# (profile, parameter, value, unit, basis, citation label)
PARAMETER_TABLE = [
    ("dezhou-2023", P.CREDIT_CHECK_VALIDITY, 1, Unit.DAYS, CHOICE, "DZ art. 6 ¶2"),
    ("dezhou-2023", P.REMINDER_GRACE, None, None, Basis.AGENCY_SET, "DZ art. 13 ¶1"),
    ("dezhou-2023", P.CORRECTION, 2, WD, CHOICE, "DZ art. 14"),
    ("dezhou-2023", P.EARLY_LIFTING_VERIFICATION, 5, DAYS, Basis.REGULATION, "DZ art. 15 ¶2"),
    ("linzi-2022", P.CONSENT_MAX_VALIDITY, 365, Unit.DAYS, CHOICE, "LZ §5(1)6"),
    ("linzi-2022", P.CREDIT_CHECK_VALIDITY, 1, Unit.DAYS, CHOICE, "LZ §4(1)"),
    ("linzi-2022", P.REMINDER_GRACE, 3, WD, Basis.REGULATION, "LZ §5(1)2"),
    ("linzi-2022", P.LISTING_NOTICE, 3, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("linzi-2022", P.OBJECTION_WINDOW, 3, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("linzi-2022", P.OBJECTION_REVIEW, 15, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("linzi-2022", P.CORRECTION, 2, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("linzi-2022", P.MANAGEMENT_PERIOD, 6, Unit.MONTHS, Basis.REGULATION, "LZ §5(1)5"),
    ("linzi-2022", P.PUBLICITY_PERIOD, 6, Unit.MONTHS, CHOICE, "LZ §5(1)5"),
    ("shandong-combined", P.CONSENT_MAX_VALIDITY, 365, Unit.DAYS, CHOICE, "LZ §5(1)6"),
    ("shandong-combined", P.CREDIT_CHECK_VALIDITY, 1, Unit.DAYS, CHOICE, "DZ art. 6 ¶2"),
    ("shandong-combined", P.REMINDER_GRACE, 3, WD, Basis.AGENCY_SET, "DZ art. 13 ¶1"),
    ("shandong-combined", P.LISTING_NOTICE, 3, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("shandong-combined", P.OBJECTION_WINDOW, 3, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("shandong-combined", P.OBJECTION_REVIEW, 15, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("shandong-combined", P.CORRECTION, 2, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("shandong-combined", P.MANAGEMENT_PERIOD, 6, Unit.MONTHS, Basis.REGULATION, "LZ §5(1)5"),
    ("shandong-combined", P.PUBLICITY_PERIOD, 6, Unit.MONTHS, CHOICE, "LZ §5(1)5"),
    ("shandong-combined", P.EARLY_LIFTING_VERIFICATION, 5, DAYS, Basis.REGULATION, "DZ art. 15 ¶2"),
    ("national-2026", P.CONSENT_MAX_VALIDITY, 365, Unit.DAYS, CHOICE, "LZ §5(1)6"),
    ("national-2026", P.CREDIT_CHECK_VALIDITY, 1, Unit.DAYS, CHOICE, "DZ art. 6 ¶2"),
    ("national-2026", P.REMINDER_GRACE, 3, WD, Basis.AGENCY_SET, "DZ art. 13 ¶1"),
    ("national-2026", P.LISTING_NOTICE, 3, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("national-2026", P.OBJECTION_WINDOW, 3, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("national-2026", P.OBJECTION_REVIEW, 15, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("national-2026", P.CORRECTION, 2, WD, Basis.REGULATION, "LZ §5(1)4"),
    ("national-2026", P.MANAGEMENT_PERIOD, 6, Unit.MONTHS, Basis.REGULATION, "LZ §5(1)5"),
    ("national-2026", P.PUBLICITY_PERIOD, 3, Unit.MONTHS, Basis.REGULATION, NATIONAL_22),
    ("national-2026", P.EARLY_LIFTING_VERIFICATION, 5, DAYS, Basis.REGULATION, "DZ art. 15 ¶2"),
]  # fmt: skip


@pytest.mark.parametrize(("profile", "name", "value", "unit", "basis", "label"), PARAMETER_TABLE)
def test_parameter_table(
    profile: str,
    name: ParameterName,
    value: int | None,
    unit: Unit | None,
    basis: Basis,
    label: str,
) -> None:
    parameter = get_profile(profile).parameter(name)
    assert (parameter.value, parameter.unit, parameter.basis) == (value, unit, basis)
    assert parameter.citation.label == label
    assert parameter.description_zh and parameter.description_en


def test_table_covers_every_parameter_of_every_profile() -> None:
    listed = {(profile, name.value) for profile, name, *_ in PARAMETER_TABLE}
    actual = {(p.name, name) for p in PROFILES.values() for name in p.parameters}
    assert listed == actual


ZH_NUMERALS = {5: "五"}


REGULATION_NUMBERS = [
    (profile, name, value)
    for profile, name, value, _, basis, _ in PARAMETER_TABLE
    if basis is Basis.REGULATION
]


@pytest.mark.parametrize(("profile", "name", "value"), REGULATION_NUMBERS)
def test_regulation_numbers_appear_in_the_cited_sentence(
    profile: str, name: ParameterName, value: int | None
) -> None:
    text = get_profile(profile).parameter(name).citation.text_zh
    assert value is not None
    assert str(value) in text or ZH_NUMERALS.get(value, "?") in text


@pytest.mark.parametrize(
    ("profile", "accessor", "value"),
    [
        ("shandong-combined", "objection_window", 3),
        ("shandong-combined", "objection_review", 15),
        ("shandong-combined", "listing_notice", 3),
        ("shandong-combined", "correction", 2),
        ("shandong-combined", "management_period", 6),
        ("shandong-combined", "publicity_period", 6),
        ("shandong-combined", "early_lifting_verification", 5),
        ("shandong-combined", "consent_max_validity", 365),
        ("shandong-combined", "credit_check_validity", 1),
        ("shandong-combined", "reminder_grace", 3),
        ("dezhou-2023", "reminder_grace", None),
    ],
)
def test_typed_accessors(profile: str, accessor: str, value: int | None) -> None:
    assert getattr(get_profile(profile), accessor).value == value


@pytest.mark.parametrize(
    ("profile", "accessor"),
    [
        ("dezhou-2023", "objection_window"),
        ("dezhou-2023", "management_period"),
        ("dezhou-2023", "consent_max_validity"),
        ("linzi-2022", "early_lifting_verification"),
    ],
)
def test_missing_parameter_raises(profile: str, accessor: str) -> None:
    with pytest.raises(ParameterNotInProfile, match=profile):
        getattr(get_profile(profile), accessor)


def test_management_period_months() -> None:
    assert get_profile("shandong-combined").management_period_months == 6
    assert get_profile("dezhou-2023").management_period_months is None
    assert get_profile("dezhou-2023").publicity_period_months is None


@pytest.mark.parametrize(
    ("profile", "modes", "excluded", "consent", "listing", "restart", "lifting", "effect"),
    [
        (
            "dezhou-2023",
            {Mode.TOLERANCE, Mode.NOTIFY_COMMIT},
            set(HighRiskCategory),
            False,
            False,
            False,
            True,
            "DZ art. 15 ¶1",
        ),
        ("linzi-2022", set(Mode), set(), True, True, True, False, "LZ §5(2)1"),
        (
            "shandong-combined",
            set(Mode),
            set(HighRiskCategory),
            True,
            True,
            True,
            True,
            "LZ §5(2)1",
        ),
    ],
)
def test_modes_categories_and_switches(
    profile: str,
    modes: set[Mode],
    excluded: set[HighRiskCategory],
    consent: bool,
    listing: bool,
    restart: bool,
    lifting: bool,
    effect: str,
) -> None:
    p = get_profile(profile)
    assert p.modes == modes
    assert p.excluded_categories == excluded
    assert (p.consent_required, p.listing_procedure, p.restart_on_new_listing) == (
        consent,
        listing,
        restart,
    )
    assert p.early_lifting is lifting
    assert p.restriction_effect_citation.label == effect


def test_excluded_categories_cite_dz_2_2() -> None:
    citation = get_profile("dezhou-2023").excluded_categories_citation
    assert citation is not None and citation.label == "DZ art. 2 ¶2"
    for category in HighRiskCategory:
        assert category.label_zh.split("、")[0] in citation.text_zh
    assert get_profile("linzi-2022").excluded_categories_citation is None


@pytest.mark.parametrize(
    ("category", "label"),
    [
        (HighRiskCategory.NATIONAL_SECURITY, "国家安全"),
        (HighRiskCategory.STATE_SECRETS, "国家秘密"),
        (HighRiskCategory.PUBLIC_SAFETY, "公共安全"),
        (HighRiskCategory.FINANCIAL_PRUDENTIAL_SUPERVISION, "金融业审慎监管"),
        (HighRiskCategory.ECOLOGICAL_ENVIRONMENTAL_PROTECTION, "生态环境保护"),
        (HighRiskCategory.PERSONAL_HEALTH_LIFE_PROPERTY, "人身健康、生命财产安全"),
        (HighRiskCategory.MAJOR_FOREIGN_AFFAIRS, "重要涉外"),
    ],
)
def test_category_labels(category: HighRiskCategory, label: str) -> None:
    assert category.label_zh == label


def test_no_profile_is_a_default() -> None:
    assert set(PROFILES) == {"dezhou-2023", "linzi-2022", "shandong-combined", "national-2026"}
    assert not any(p.to_dict()["default"] for p in PROFILES.values())
    assert get_profile("linzi-2022").to_dict("linzi-2022")["default"] is True


def test_unknown_profile_lists_known_names() -> None:
    with pytest.raises(UnknownProfile) as info:
        get_profile("beijing-2030")
    message = str(info.value)
    assert "beijing-2030" in message
    for name in ("dezhou-2023", "linzi-2022", "shandong-combined"):
        assert name in message
    assert info.value.name == "beijing-2030"


def test_objection_window_sits_next_to_its_citation() -> None:
    parameter = get_profile("shandong-combined").objection_window
    assert parameter.citation == LZ_5_1_4_OBJECTION
    assert "接到告知书之日起3个工作日内" in parameter.citation.text_zh


@pytest.mark.parametrize("name", ["dezhou-2023", "shandong-combined"])
def test_early_lifting_counts_five_days_under_the_civil_code(name: str) -> None:
    """ "五日" in DZ art. 15 ¶2 is five days: the measures say 工作日 nowhere, and
    行政许可法 art. 82 governs only the periods that law sets."""
    parameter = get_profile(name).early_lifting_verification
    assert (parameter.value, parameter.unit) == (5, Unit.DAYS)
    assert parameter.citation == DZ_15_2
    assert [c.label for c in parameter.also_cites] == ["民法典 art. 201", "民法典 art. 203"]
    assert parameter.description_zh.startswith("自接到取消限制申请之日起五日内核实。按日计算")
    assert "Counted in calendar days" in parameter.description_en


def test_consent_maximum_is_a_documented_deployment_choice() -> None:
    parameter = get_profile("shandong-combined").consent_max_validity
    assert "一次授权终身" in parameter.citation.text_zh
    assert "deployment choice" in parameter.description_en


def test_to_dict_is_json_ready() -> None:
    data = get_profile("shandong-combined").to_dict("shandong-combined")
    json.dumps(data, ensure_ascii=False)
    assert data["name"] == "shandong-combined"
    assert data["default"] is True  # the deployment's explicit choice
    parameters = data["parameters"]
    assert isinstance(parameters, dict)
    objection = parameters["objection_window"]
    assert objection["value"] == 3
    assert objection["unit"] == "working_days"
    assert objection["citation"]["label"] == "LZ §5(1)4"
    assert "3个工作日内" in objection["citation"]["text_zh"]
    modes = data["modes"]
    categories = data["excluded_categories"]
    assert isinstance(modes, list) and isinstance(categories, list)
    assert [m["code"] for m in modes] == ["green_channel", "tolerance", "notify_commit"]
    assert len(categories) == len(HighRiskCategory)
    assert data["switches"] == {
        "consent_required": True,
        "listing_procedure": True,
        "restart_on_new_listing": True,
        "early_lifting": True,
    }
    dezhou = get_profile("dezhou-2023").to_dict()
    assert dezhou["default"] is False
    assert dezhou["parameters"]["reminder_grace"]["value"] is None  # type: ignore[index]


@pytest.mark.parametrize(
    ("citation", "label"),
    [
        (CIVIL_CODE_201, "民法典 art. 201"),
        (DZ_15_2, "DZ art. 15 ¶2"),
        (LZ_5_1_4_OBJECTION, "LZ §5(1)4"),
        (Citation("LZ", "3", None, "x"), "LZ §3"),
        (Citation("LZ", "annex", None, "x"), "LZ annex"),
        (Citation("DZ", "10", None, "x"), "DZ art. 10"),
    ],
)
def test_citation_labels(citation: Citation, label: str) -> None:
    assert citation.label == label
