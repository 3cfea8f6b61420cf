"""Driving the hub in-process: the real Starlette app over httpx.ASGITransport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import event

from hub.app import create_app
from hub.domain.vocabulary import Role
from hub.settings import Settings
from hub.tokens import issue_token


@dataclass
class StatementCounter:
    count: int = 0

    def __call__(self, *args: Any) -> None:
        self.count += 1


class HubClient:
    def __init__(self, http: httpx.AsyncClient, settings: Settings, counter: StatementCounter, runtime: Any = None) -> None:
        self.http = http
        self.settings = settings
        self.statements = counter
        self.runtime = runtime  # the app's Runtime: its dispatcher, engine, file store

    def token(self, role: Role, **claims: Any) -> str:
        return issue_token(secret=self.settings.secret, role=role, **claims)

    async def post(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return await self.http.post("/graphql", json={"query": query, "variables": variables or {}}, headers=headers)

    async def query(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> dict[str, Any]:
        """Run a query that must succeed; return its data."""
        response = await self.post(query, variables, token=token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert not body.get("errors"), body["errors"]
        return body["data"]

    async def errors(self, query: str, variables: dict[str, Any] | None = None, *, token: str | None = None) -> list[dict[str, Any]]:
        """Run a query that must fail with GraphQL errors (never a 500); return them."""
        response = await self.post(query, variables, token=token)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body.get("errors"), body
        return body["errors"]


@asynccontextmanager
async def hub_client(database_url: str, *, schedule: bool = True, **overrides: Any) -> AsyncIterator[HubClient]:
    """The hub in-process; ``schedule=False`` leaves its periodic jobs off so a test drives them."""
    settings = Settings(database_url=database_url, **overrides)
    app = create_app(settings, schedule=schedule)
    runtime = app.state.runtime
    await runtime.start()
    counter = StatementCounter()
    event.listen(runtime.engine.sync_engine, "before_cursor_execute", counter)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://hub.test") as http:
            yield HubClient(http, settings, counter, runtime)
    finally:
        await runtime.stop()


def nodes(connection: dict[str, Any]) -> list[Any]:
    """The items of a connection's page, in order."""
    return [edge["node"] for edge in connection["edges"]]
