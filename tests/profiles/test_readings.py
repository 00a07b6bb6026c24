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
}


async def _readings(client: httpx.AsyncClient) -> dict[str, list[dict[str, Any]]]:
    response = await client.get("/api/v1/profiles")
    assert response.status_code == 200
    return {p["name"]: p["readings"] for p in response.json()}


@pytest.mark.parametrize(
    ("profile", "names"),
    [
        ("dezhou-2023", list(ORDERS)),
        ("shandong-combined", list(ORDERS)),
        # LZ §4(2)3 offers 告知承诺 to 符合条件的申请人: no conditions met later.
        ("linzi-2022", ["situation_3_non_submission", "orders_count_from_service"]),
    ],
)
async def test_each_profile_lists_its_readings_with_their_citations(
    client: httpx.AsyncClient, profile: str, names: list[str]
) -> None:
    readings = (await _readings(client))[profile]
    assert [r["name"] for r in readings] == names
    for reading in readings:
        label, sentence, also = ORDERS[reading["name"]]
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
