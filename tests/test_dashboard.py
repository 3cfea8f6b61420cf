"""The dashboard as national staff open it: headless Chromium against a running hub.

The page must show the same figures as the GraphQL statistics it is built on.
Chromium is Debian's (``/usr/bin/chromium``), driven by Playwright without any
browser download; the test skips only where that binary is missing.
"""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import yaml

from hub.app import create_app
from hub.domain.sla import ServiceLevels
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.simulators import SimulatorConfig
from hub.simulators import create_app as create_simulator
from hub.simulators.region_file import rest_entry
from hub.simulators.testing import running_app
from hub.store.seeding import seed_complaints
from hub.sync.deadlines_job import run_deadlines
from hub.tokens import issue_token
from tests.stats.dataset import load

CHROMIUM = os.environ.get("HUB_TEST_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
API_KEY_ENV = "HUB_TEST_DASHBOARD_API_KEY"

FIGURES = "key total completed completionRate medianHoursToResolve slaBreaches { verify followUp resolve total }"
STATS = f"""query($since: DateTime!) {{
  provinces: stats(groupBy: PROVINCE) {{ overall {{ {FIGURES} }} groups {{ {FIGURES} }} }}
  months: stats(groupBy: MONTH, filter: {{ createdFrom: $since }}) {{ groups {{ key total completed }} }}
  ranking(provinceCode: "35") {{ code rank index total }}
  connectorsOverview {{ connectors {{ regionCode health }} }}
  escalations {{ regionCode atRegion atNational total }}
  escalated: complaints(first: 50, orderBy: VERIFY_DUE_ASC, filter: {{ escalationLevels: [REGION, NATIONAL] }}) {{
    edges {{ node {{ trackingId escalationLevel }} }} }}
}}"""


def _value(text: str | None) -> float | None:
    return None if text in (None, "") else float(text)


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
async def test_the_dashboard_shows_the_graphql_statistics(database_url, engine, tmp_path, monkeypatch):
    from playwright.async_api import async_playwright

    await load(engine)
    await seed_complaints(engine, count=300, seed=11)
    await run_deadlines(engine, levels=ServiceLevels(), now=datetime.now(UTC))  # old breaches climb the ladder
    monkeypatch.setenv(API_KEY_ENV, "sim-key")
    simulator = SimulatorConfig(kind="rest", region_code="19.71", seed=5, complaints=8)
    with running_app(create_simulator(simulator)) as region_url:
        regions = tmp_path / "regions.yaml"
        regions.write_text(yaml.safe_dump({"regions": [
            rest_entry("19.71", region_url, api_key_env=API_KEY_ENV, interval_seconds=3600)]}))
        settings = Settings(database_url=database_url, regions_file=str(regions))
        token = issue_token(secret=settings.secret, role=Role.NATIONAL_ADMIN)
        with running_app(create_app(settings)) as hub_url:
            async with httpx.AsyncClient(base_url=hub_url, timeout=30,
                                         headers={"Authorization": f"Bearer {token}"}) as http:
                await http.post("/graphql", json={"query": 'mutation { triggerSync(regionCode: "19.71") { ... on TriggerSyncPayload { started } } }'})
                async with async_playwright() as playwright:
                    browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
                    try:
                        page = await browser.new_page(viewport={"width": 1400, "height": 2400})
                        errors: list[str] = []
                        page.on("pageerror", lambda exc: errors.append(str(exc)))
                        await page.goto(f"{hub_url}/dashboard#token={token}")
                        await page.wait_for_selector("body[data-ready='true']", timeout=30_000)
                        since = await page.evaluate("""() => {
                            const d = new Date(); d.setUTCMonth(d.getUTCMonth() - 11, 1); d.setUTCHours(0, 0, 0, 0);
                            return d.toISOString(); }""")
                        response = await http.post("/graphql", json={"query": STATS, "variables": {"since": since}})
                        expected = response.json()["data"]
                        shown = await _read_page(page)
                        screenshot = tmp_path / "dashboard.png"
                        await page.screenshot(path=str(screenshot), full_page=True)
                        print(f"dashboard screenshot: {screenshot}")
                    finally:
                        await browser.close()

    assert errors == []
    overall = expected["provinces"]["overall"]
    assert overall["total"] == 5 + 300 + 8  # the fixed record, the seeded ones, the synced region
    assert shown["total"] == overall["total"] and shown["completed"] == overall["completed"]
    assert shown["rate"] == pytest.approx(overall["completionRate"])
    assert shown["rate_text"] == f"{overall['completionRate'] * 100:.2f}%"
    assert shown["breaches"] == [overall["slaBreaches"][k] for k in ("total", "verify", "followUp", "resolve")]
    assert shown["provinces"] == {g["key"]: (g["total"], g["completed"], g["completionRate"])
                                  for g in expected["provinces"]["groups"]}
    assert shown["plotted_provinces"] == 38
    assert shown["ranking"] == [(r["code"], r["rank"], r["index"], r["total"]) for r in expected["ranking"]]
    assert shown["months"] == [[m["key"], m["total"], m["completed"]] for m in expected["months"]["groups"]]
    assert shown["connectors"] == [(c["regionCode"], c["health"]) for c in expected["connectorsOverview"]["connectors"]]
    assert shown["connectors"] == [("19.71", "HEALTHY")]
    assert shown["escalations"] == [(e["regionCode"], e["atRegion"], e["atNational"], e["total"])
                                    for e in expected["escalations"]]
    assert shown["escalations"] and sum(e["total"] for e in expected["escalations"]) > 0
    assert shown["escalated"] == [(e["node"]["trackingId"], e["node"]["escalationLevel"])
                                  for e in expected["escalated"]["edges"]]
    assert screenshot.stat().st_size > 10_000


async def _read_page(page) -> dict:  # type: ignore[no-untyped-def]
    async def value(selector: str) -> float | None:
        return _value(await page.get_attribute(selector, "data-value"))

    provinces = await page.eval_on_selector_all(
        "#province-table tbody tr", "rows => rows.map(r => [r.dataset.code, r.dataset.total, r.dataset.completed, r.dataset.completionRate])")
    ranking = await page.eval_on_selector_all(
        "#ranking-table tbody tr", "rows => rows.map(r => [r.dataset.code, r.dataset.rank, r.dataset.index, r.dataset.total])")
    connectors = await page.eval_on_selector_all(
        "#connectors-table tbody tr", "rows => rows.map(r => [r.dataset.region, r.dataset.health])")
    escalations = await page.eval_on_selector_all(
        "#escalations-table tbody tr",
        "rows => rows.map(r => [r.dataset.region, r.dataset.atRegion, r.dataset.atNational, r.dataset.total])")
    escalated = await page.eval_on_selector_all(
        "#escalated-table tbody tr", "rows => rows.map(r => [r.dataset.trackingId, r.dataset.level])")
    months = await page.get_attribute("#trend-chart", "data-months")
    plotted = await page.evaluate("() => document.getElementById('province-chart').data[0].y.length")
    return {
        "total": int(await value("#national-total")),
        "completed": int(await value("#national-completed")),
        "rate": await value("#national-completion-rate"),
        "rate_text": await page.text_content("#national-completion-rate"),
        "breaches": [int(await value(s)) for s in ("#national-breaches", "#sla-verify", "#sla-follow-up", "#sla-resolve")],
        "provinces": {code: (int(total), int(done), _value(rate)) for code, total, done, rate in provinces},
        "plotted_provinces": plotted,
        "ranking": [(code, int(rank) if rank else None, _value(index), int(total)) for code, rank, index, total in ranking],
        "months": __import__("json").loads(months),
        "connectors": [tuple(c) for c in connectors],
        "escalations": [(code, int(at_region), int(at_national), int(total))
                        for code, at_region, at_national, total in escalations],
        "escalated": [tuple(c) for c in escalated],
    }
