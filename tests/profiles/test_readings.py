"""GET /api/v1/profiles shows each reading a profile applies, with its cited sentence.

The expected sentences are copied from the source texts, not from the code."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

SITUATION_3 = "经催告后3个工作日内仍未提交的"  # LZ §5(1)2, third situation
ORDERS = {
    "situation_3_non_submission": ("LZ §5(1)2", SITUATION_3, ["DZ art. 13 ¶1"]),
    "orders_count_from_service": (
        "LZ §5(1)2",
        SITUATION_3,
        ["DZ art. 13 ¶1", "DZ art. 13 ¶2", "LZ §5(1)4", "LZ §5(1)4", "民法典 art. 201"],
    ),
    "conditions_to_meet": (
        "DZ art. 9 ¶2",
        "达到承诺具备的相应条件",
        ["DZ art. 7 ¶3", "DZ art. 9 ¶1", "DZ art. 11 ¶1"],
    ),
    "decision_late": ("DZ art. 7 ¶3", "当场或者在承诺办结时限内办结", []),
    "withdrawal_reason_categories": ("DZ art. 10", "有合理理由", []),
    # The commitment register (a deployment's choices within DZ arts. 9 and 14).
    "commitment_number": ("DZ art. 14", "客观记录申请人履行承诺情况", []),
    "commitment_disclosure": ("DZ art. 9 ¶1", "提供的材料真实有效", []),
    "commitment_fulfilment": (
        "DZ art. 9 ¶2",
        "补齐补正申请材料或者达到承诺具备的相应条件，履行承诺",
        ["DZ art. 13 ¶1", "DZ art. 13 ¶2"],
    ),
}


async def _readings(client: httpx.AsyncClient) -> dict[str, list[dict[str, Any]]]:
    response = await client.get("/api/v1/profiles")
    assert response.status_code == 200
    return {p["name"]: p["readings"] for p in response.json()}


HEARING = ("LZ §5(1)4", "听取其陈述申辩意见", ["LZ §2", "LZ §5(1)5"])
COMPLAINT = ("LZ §5(1)4", "2个工作日内", ["LZ §2"])
SHORT_OF_PENALTY = "未达到行政处罚"  # LZ §5(1)2
DZ_16 = "依法移送司法机关"  # DZ art. 16 ¶1
Cited = tuple[str, str, list[str]]
CONSENT: Cited = ("LZ §5(1)6", "明示收集使用信息的目的、方式和范围", [])
JOINT: Cited = ("LZ §3", "从其规定处理", [])
NOT_PERFORMED_DZ: Cited = ("DZ art. 6 ¶2", "信用核验未通过", [])
NOT_PERFORMED_LZ: Cited = ("LZ §4(1)", "即可享受激励措施", [])
EXPECTED: dict[str, dict[str, Cited]] = {
    "dezhou-2023": {
        **ORDERS,
        "referral_short_of_penalty": ("DZ art. 16 ¶1", DZ_16, []),
        "check_not_performed": NOT_PERFORMED_DZ,
    },
    # LZ §4(2)3 offers 告知承诺 to 符合条件的申请人: no conditions met later.
    "linzi-2022": {
        "situation_3_non_submission": ORDERS["situation_3_non_submission"],
        "orders_count_from_service": ORDERS["orders_count_from_service"],
        "hearing": HEARING,
        "complaint_opens_correction": COMPLAINT,
        "referral_short_of_penalty": ("LZ §5(1)2", SHORT_OF_PENALTY, ["LZ §5(1)4"]),
        "consent_states_scope": CONSENT,
        "joint_punishment_as_memorandum": JOINT,
        "check_not_performed": NOT_PERFORMED_LZ,
    },
    "shandong-combined": {
        **ORDERS,
        "hearing": HEARING,
        "complaint_opens_correction": COMPLAINT,
        "referral_short_of_penalty": (
            "LZ §5(1)2",
            SHORT_OF_PENALTY,
            ["DZ art. 16 ¶1", "LZ §5(1)4"],
        ),
        "consent_states_scope": CONSENT,
        "joint_punishment_as_memorandum": JOINT,
        "check_not_performed": NOT_PERFORMED_DZ,
    },
}


# The national profile is the combined one under the national rules: the same readings.
EXPECTED["national-2026"] = EXPECTED["shandong-combined"]


@pytest.mark.parametrize("profile", list(EXPECTED))
async def test_each_profile_lists_its_readings_with_their_citations(
    client: httpx.AsyncClient, profile: str
) -> None:
    readings = (await _readings(client))[profile]
    expected = EXPECTED[profile]
    assert [r["name"] for r in readings] == list(expected)
    for reading in readings:
        label, sentence, also = expected[reading["name"]]
        assert reading["citation"]["label"] == label
        assert sentence in reading["citation"]["text_zh"]
        assert [c["label"] for c in reading["also_cites"]] == also
        assert all(c["text_zh"] for c in reading["also_cites"])
        assert reading["description_zh"] and reading["description_en"]


async def test_the_bound_on_the_day_to_meet_conditions_is_a_deployment_choice(
    client: httpx.AsyncClient,
) -> None:
    readings = {r["name"]: r for r in (await _readings(client))["dezhou-2023"]}
    assert readings["conditions_to_meet"]["basis"] == "deployment_choice"
    assert readings["situation_3_non_submission"]["basis"] == "regulation"
    assert readings["orders_count_from_service"]["basis"] == "regulation"
    # Which modes a memorandum bars is the deployment's reading (LZ §3 从其规定).
    linzi = {r["name"]: r for r in (await _readings(client))["linzi-2022"]}
    assert linzi["joint_punishment_as_memorandum"]["basis"] == "deployment_choice"
    assert linzi["hearing"]["basis"] == "regulation"
