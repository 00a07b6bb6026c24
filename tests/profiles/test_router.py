"""GET /api/v1/profiles shows every parameter of docs/domain.md section 9 with its citation."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

# Expected values are read off docs/domain.md section 9 and the source texts, not the code.
LINZI_NUMBERS = {
    "listing_notice": (3, "working_days", "LZ §5(1)4"),
    "objection_window": (3, "working_days", "LZ §5(1)4"),
    "objection_review": (15, "working_days", "LZ §5(1)4"),
    "correction": (2, "working_days", "LZ §5(1)4"),
    "management_period": (6, "months", "LZ §5(1)5"),
    "reminder_grace": (3, "working_days", "LZ §5(1)2"),
}


async def _profiles(client: httpx.AsyncClient) -> dict[str, dict[str, Any]]:
    response = await client.get("/api/v1/profiles")
    assert response.status_code == 200
    return {p["name"]: p for p in response.json()}


async def test_the_profiles_with_the_default(client: httpx.AsyncClient) -> None:
    profiles = await _profiles(client)
    assert set(profiles) == {"dezhou-2023", "linzi-2022", "shandong-combined", "national-2026"}
    assert [name for name, p in profiles.items() if p["default"]] == ["shandong-combined"]


@pytest.mark.parametrize("profile", ["linzi-2022", "shandong-combined"])
async def test_linzi_numbers_with_citations(client: httpx.AsyncClient, profile: str) -> None:
    parameters = (await _profiles(client))[profile]["parameters"]
    for name, (value, unit, label) in LINZI_NUMBERS.items():
        if profile == "shandong-combined" and name == "reminder_grace":
            continue  # agency-set under Dezhou, with Linzi's minimum: checked below
        parameter = parameters[name]
        assert (parameter["value"], parameter["unit"]) == (value, unit), name
        assert parameter["citation"]["label"].startswith(label), name
        assert parameter["citation"]["text_zh"], name


async def test_every_parameter_carries_a_cited_sentence(client: httpx.AsyncClient) -> None:
    for profile in (await _profiles(client)).values():
        assert profile["parameters"], profile["name"]
        for parameter in profile["parameters"].values():
            citation = parameter["citation"]
            assert citation["label"] and citation["text_zh"], parameter["name"]


async def test_dezhou_specifics(client: httpx.AsyncClient) -> None:
    profiles = await _profiles(client)
    dezhou = profiles["dezhou-2023"]
    assert [m["code"] for m in dezhou["modes"]] == ["tolerance", "notify_commit"]
    assert len(dezhou["excluded_categories"]) == 7
    assert dezhou["excluded_categories_citation"]["label"] == "DZ art. 2 ¶2"
    lifting = dezhou["parameters"]["early_lifting_verification"]
    assert (lifting["value"], lifting["citation"]["label"]) == (5, "DZ art. 15 ¶2")
    assert dezhou["parameters"]["reminder_grace"]["basis"] == "agency_set"
    linzi = profiles["linzi-2022"]
    assert [m["code"] for m in linzi["modes"]] == ["green_channel", "tolerance", "notify_commit"]
    assert linzi["switches"]["consent_required"] is True


async def test_an_unknown_profile_is_a_404(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/profiles/beijing-2030")
    assert (response.status_code, response.json()["code"]) == (404, "profile_unknown")
    one = await client.get("/api/v1/profiles/linzi-2022")
    assert one.json()["name"] == "linzi-2022"


@pytest.mark.parametrize(
    ("profile", "shown"),
    [("linzi-2022", True), ("shandong-combined", True), ("dezhou-2023", False)],
)
async def test_a_listing_profile_shows_which_listing_events_leave_the_department(
    client: httpx.AsyncClient, profile: str, shown: bool
) -> None:
    disclosure = (await _profiles(client))[profile]["listing_disclosure"]
    if not shown:  # no listing procedure, no listing events
        assert disclosure is None
        return
    assert disclosure["determined_states"] == ["confirmed", "effective", "lifted", "repaired"]
    assert disclosure["citation"]["label"] == "LZ §5(1)4"
    assert "对确定列为失信制约的主体信息" in disclosure["citation"]["text_zh"]
    assert disclosure["description_zh"] and disclosure["description_en"]


async def test_the_early_lifting_verification_counts_days(client: httpx.AsyncClient) -> None:
    lifting = (await _profiles(client))["dezhou-2023"]["parameters"]["early_lifting_verification"]
    assert (lifting["value"], lifting["unit"]) == (5, "days")
    assert [c["label"] for c in lifting["also_cites"]] == ["民法典 art. 201", "民法典 art. 203"]
