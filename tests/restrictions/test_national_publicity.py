"""The national rules over HTTP (profile ``national-2026``), dates counted by hand.

国办发〔2025〕22号 §二: minor dishonesty, if published, for 3 months at most; the Linzi
listings are minor dishonesty. 国家发展改革委令第36号 is in force from 2026-04-01.

Listing A (calendar 2026: no holiday between Mar 23 and Apr 1; Qingming Apr 4-6 after):
- verified Mon 03-23, notice Tue 03-24, received Wed 03-25; objection window Thu 03-26 (1),
  Fri 03-27 (2), Mon 03-30 (3) -> lapses after 03-30; published Wed 2026-04-01.
- publicity 3 months (民法典 arts. 201-202): the corresponding day is Wed 2026-07-01, the
  last public day; off the public list from Thu 07-02. Never moved for a holiday.
- management period 6 months: last restricted day Thu 2026-10-01 (National Day, not
  moved). Rectified Wed 05-06 within the period: repaired the day after, Fri 10-02.

Listing B (another subject) published Tue 2026-03-31, the day before the date of effect:
it keeps the local text's publicity (6 months, to Wed 2026-09-30): still public on 07-02
and on 09-30; rectified 05-06, repaired and off the list from Thu 10-01.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from typing import Any

import httpx
import pytest

from app.core.clock import FixedClock
from app.core.config import Settings
from app.main import create_app
from app.rules import profiles
from app.rules.national import PUBLICITY_PERIOD_NATIONAL, PublicityOverNationalCap
from app.rules.profiles import NATIONAL_2026, PUBLICITY_PERIOD_LZ
from tests.conftest import TokenFactory, make_settings
from tests.factories import ORG, ORG_ID, credit_check, ok, record_consent, uscc
from tests.restrictions.conftest import at, published, step

URL = "/api/v1/restrictions"
OTHER_ID = uscc("91371400MA3C5AB77")
OTHER = {"subject_type": "organization", "id_number": OTHER_ID, "name": "德州市某某商贸有限公司"}
A_DATES = {"verify_on": "2026-03-23", "notice_on": "2026-03-24", "received_on": "2026-03-25"}


@pytest.fixture
def settings(database_url: str) -> Settings:
    return make_settings(database_url, profile="national-2026")


async def _public(client: httpx.AsyncClient, id_number: str) -> list[dict[str, Any]]:
    page = await ok(
        await client.post("/api/v1/public/restrictions/search", json={"id_number": id_number}),
        200,
    )
    items: list[dict[str, Any]] = page["items"]
    return items


async def _check(client: httpx.AsyncClient, auth: TokenFactory) -> str:
    consent = await record_consent(client, auth, subject=ORG)
    result = await ok(
        await credit_check(client, auth, consent_id=consent["id"], subject=consent["subject"])
    )
    return str(result["result"])


async def test_publicity_ends_after_3_months_while_the_restriction_runs_6(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG, publish_on="2026-04-01", **A_DATES)
    listing = await ok(await client.get(f"{URL}/{listing_id}", headers=auth("clerk")), 200)
    assert listing["profile"] == "national-2026"
    assert listing["dates"]["period_ends_on"] == "2026-10-01"
    assert len(await _public(client, ORG_ID)) == 1
    assert await _check(client, auth) == "fail"

    at(clock, "2026-05-06")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})

    at(clock, "2026-07-01")  # the publicity's last day
    assert len(await _public(client, ORG_ID)) == 1
    at(clock, "2026-07-02")  # off the public list, still restricted
    assert await _public(client, ORG_ID) == []
    assert await _check(client, auth) == "fail"
    at(clock, "2026-10-01")  # the management period's last day (a holiday: not moved)
    assert await _check(client, auth) == "fail"
    assert await _public(client, ORG_ID) == []
    at(clock, "2026-10-02")  # repaired the day after the period end
    assert await _check(client, auth) == "pass"


async def test_a_listing_published_before_the_date_of_effect_keeps_its_publicity(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, OTHER, publish_on="2026-03-31", **A_DATES)
    at(clock, "2026-05-06")
    await step(client, auth, f"{URL}/{listing_id}/rectification", {"description": "已整改"})
    at(clock, "2026-07-02")
    assert len(await _public(client, OTHER_ID)) == 1
    at(clock, "2026-09-30")  # 6 months from 03-31: the corresponding day
    assert len(await _public(client, OTHER_ID)) == 1
    at(clock, "2026-10-01")  # rectified within the period: repaired the day after its end
    assert await _public(client, OTHER_ID) == []


def _pdf_text(content: bytes) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext is not None, "poppler-utils' pdftotext is needed"
    done = subprocess.run(  # noqa: S603 (a fixed program on the test's own bytes)
        [pdftotext, "-enc", "UTF-8", "-", "-"], input=content, capture_output=True, check=True
    )
    return "".join(done.stdout.decode().split())


async def test_the_listing_notice_carries_the_repair_route(
    client: httpx.AsyncClient, auth: TokenFactory, clock: FixedClock
) -> None:
    listing_id = await published(client, auth, clock, ORG, publish_on="2026-04-01", **A_DATES)
    response = await client.get(f"{URL}/{listing_id}/notice.pdf", headers=auth("clerk"))
    assert response.status_code == 200
    text = _pdf_text(response.content)
    assert "信用修复途径" in text
    assert "修复条件" in text and "法定责任义务履行完毕即可申请修复" in text
    assert "公示期限为3个月" in text
    assert "《关于进一步完善信用修复制度的实施方案》（国办发〔2025〕22号）第二部分" in text
    assert "《信用修复管理办法》（国家发展改革委令第36号）第二条、第三条第一款" in text
    assert "申请材料" in text and "信用承诺书" in text  # false materials: closure + commitment
    assert "申请途径" in text and "向认定部门" in text
    assert "办理时限" in text and "5个工作日内" in text
    assert "信用修复不收取任何费用" in text


async def test_the_profiles_endpoint_cites_the_national_texts(client: httpx.AsyncClient) -> None:
    profile = await ok(await client.get("/api/v1/profiles/national-2026"), 200)
    assert profile["default"] is True
    publicity = profile["parameters"]["publicity_period"]
    shown = (publicity["value"], publicity["unit"], publicity["basis"])
    assert shown == (3, "months", "regulation")
    assert publicity["citation"]["label"] == "国办发〔2025〕22号 §二"
    assert "公示期最长为3个月" in publicity["citation"]["text_zh"]
    assert publicity["citation"]["source_document"].startswith("国办发〔2025〕22号")
    also = [c["label"] for c in publicity["also_cites"]]
    assert "国家发展改革委令第36号 promulgation" in also
    national = profile["national"]
    assert (national["in_force_from"], national["publicity_cap_months"]) == ("2026-04-01", 3)
    assert national["listing_severity"] == "minor"
    assert [c["label"] for c in national["repair_citations"]] == [
        "国家发展改革委令第36号 art. 2",
        "国家发展改革委令第36号 art. 3 ¶1",
    ]
    assert "自2026年4月1日起施行" in national["in_force_citation"]["source_document"]
    assert national["publicity_before"]["value"] == 6
    local = await ok(await client.get("/api/v1/profiles/linzi-2022"), 200)
    assert local["national"] is None


def test_a_profile_over_the_cap_is_refused_at_start_up(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    too_long = replace(
        NATIONAL_2026,
        name="national-too-long",
        parameters={
            **NATIONAL_2026.parameters,
            "publicity_period": replace(PUBLICITY_PERIOD_NATIONAL, value=4),
        },
    )
    monkeypatch.setattr(profiles, "PROFILES", {**profiles.PROFILES, too_long.name: too_long})
    with pytest.raises(PublicityOverNationalCap) as refused:
        create_app(settings)
    message = str(refused.value)
    assert "national-too-long" in message and "4 months" in message
    assert "国办发〔2025〕22号 §二" in message and "公示期最长为3个月" in message
    # The local text read alone (6 months, no national rules) is not refused.
    assert profiles.LINZI_2022.publicity_period_months == PUBLICITY_PERIOD_LZ.value == 6
    monkeypatch.setattr(profiles, "PROFILES", {"linzi-2022": profiles.LINZI_2022})
    create_app(settings)
