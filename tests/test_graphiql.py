"""GraphiQL as a developer opens it on a closed government network.

Headless Chromium (Debian's, driven by Playwright) loads the hub's GraphiQL
page while every request to anywhere but the hub is refused: the page must
still render the schema, with the header a ``hub demo`` link fills in.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from hub.app import create_app
from hub.domain.vocabulary import Role
from hub.graphiql import page_html
from hub.settings import Settings
from hub.simulators.testing import running_app
from hub.tokens import issue_token
from tests.test_dashboard import ARGS, CHROMIUM


def test_the_page_names_no_address_outside_the_hub():
    html = page_html()
    assert "unpkg.com" not in html and "https://" not in html
    assert html.count('integrity="sha384-') == 7  # the browser still checks every file


async def test_every_asset_is_served_with_the_hash_the_page_expects(database_url):
    app = create_app(Settings(database_url=database_url), schedule=False)
    await app.state.runtime.start()
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test") as http:
            page = await http.get("/graphql", headers={"Accept": "text/html"})
            assert page.status_code == 200 and "graphiql" in page.text
            for path in sorted(set(re.findall(r'(?:src|href)="(/graphiql/static/[^"]+)"', page.text))):
                answer = await http.get(path)
                assert answer.status_code == 200, path
                assert answer.headers["content-type"].split(";")[0] in ("text/javascript", "text/css")
            assert (await http.get("/graphiql/static/../../settings.py")).status_code == 404
    finally:
        await app.state.runtime.stop()


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
async def test_graphiql_renders_the_schema_with_the_network_cut_off(database_url):
    from playwright.async_api import async_playwright

    settings = Settings(database_url=database_url)
    token = issue_token(secret=settings.secret, role=Role.NATIONAL_ADMIN)
    with running_app(create_app(settings, schedule=False)) as hub_url:
        refused: list[str] = []

        async def only_the_hub(route):
            if route.request.url.startswith(hub_url):
                await route.continue_()
            else:
                refused.append(route.request.url)
                await route.abort()

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = await browser.new_page(viewport={"width": 1400, "height": 900})
                await page.route("**/*", only_the_hub)
                errors: list[str] = []
                page.on("pageerror", lambda exc: errors.append(str(exc)))
                headers = quote(json.dumps({"Authorization": f"Bearer {token}"}))
                await page.goto(f"{hub_url}/graphql?headers={headers}")
                await page.wait_for_selector(".graphiql-query-editor", timeout=30_000)
                await page.click("[aria-label='Show Documentation Explorer']")
                await page.wait_for_selector(".graphiql-doc-explorer >> text=Query", timeout=30_000)
                await page.click(".graphiql-doc-explorer a:has-text('Query')")
                await page.wait_for_selector(".graphiql-doc-explorer >> text=complaints", timeout=30_000)
                await page.click("[data-name='headers']")
                shown_headers = await page.inner_text(".graphiql-editor-tool")
            finally:
                await browser.close()
    assert refused == [] and errors == []
    assert token[:20] in shown_headers
