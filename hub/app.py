"""The Starlette application: ``/graphql`` (GraphiQL in dev), ``/healthz``, ``/readyz``,
``/metrics`` and the ``/dashboard``.

:func:`create_app` builds everything from :class:`~hub.settings.Settings`;
the engine opens in the lifespan, which also refuses a database whose schema
is behind (the embedded SQLite default in dev migrates itself instead).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route, WebSocketRoute
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError

from hub import dashboard, downloads, exports, graphiql, graphql_http, startup
from hub.connectors.registry import Registry, load_registry
from hub.domain.access import Viewer
from hub.files.store import FileStore, file_store
from hub.observability import endpoints as observability_endpoints
from hub.observability.logs import RequestIdMiddleware, configure_logging
from hub.observability.metrics import HubMetrics
from hub.request_guard import guarded_receive
from hub.resolvers.context import Context
from hub.schema.build import build_schema
from hub.schema.trusted_documents import load_trusted_documents
from hub.server_tuning import tune_for_server
from hub.settings import Settings, get_settings
from hub.store import stats_cache, stats_tally
from hub.store.access_log import prune_access_log
from hub.store.database import create_engine, is_sqlite, read_session_factory, session_factory
from hub.store.migrate import ensure_current
from hub.store.sync_history import prune_sync_runs
from hub.sync.deadline_watch import DeadlineWatch
from hub.sync.events import ChangeFeed
from hub.sync.notify import Notifier
from hub.sync.outbox import Dispatcher
from hub.sync.runs import RunReport
from hub.sync.scheduler import SyncScheduler
from hub.tokens import InvalidToken, bearer_token

log = logging.getLogger("hub.app")


class Runtime:
    """What the app holds while it runs: the engine and its session factory."""

    def __init__(self, settings: Settings, *, schedule: bool = True) -> None:
        self.settings = settings
        self.schedule = schedule
        self.engine: AsyncEngine | None = None
        self.sessions: async_sessionmaker[AsyncSession] | None = None
        self.read_sessions: async_sessionmaker[AsyncSession] | None = None
        self.sync: SyncScheduler | None = None
        self.jobs: SyncScheduler | None = None  # the pull jobs plus the dispatcher and deadline jobs
        self.events: ChangeFeed | None = None
        self.dispatcher: Dispatcher | None = None
        self.deadlines: DeadlineWatch | None = None
        self.files: FileStore | None = None  # uploaded attachments
        self.trusted = load_trusted_documents(settings.trusted_documents) if settings.trusted_documents else None
        known = (settings.metric_operation_names | dashboard.OPERATION_NAMES
                 | (self.trusted.operation_names if self.trusted else frozenset()))
        self.metrics = HubMetrics(known_operations=known)
        self.keys = settings.token_keys  # which tokens are believed

    async def viewer(self, authorization: str | None) -> Viewer:
        """The viewer an ``Authorization`` value names; a key set is fetched off the event loop."""
        token = bearer_token(authorization)
        if token and self.keys.needs_fetch(token):
            return await asyncio.to_thread(self.keys.viewer, token)
        return self.keys.viewer(token)

    async def start(self) -> None:
        registry = load_registry(self.settings.regions_file) if self.settings.regions_file else None
        self.engine = create_engine(self.settings.database_url, **self.settings.db_pool)
        auto = self.settings.is_dev and is_sqlite(self.settings.database_url)
        await ensure_current(self.engine, auto_migrate=auto)
        self.sessions = session_factory(self.engine)
        self.read_sessions = read_session_factory(self.engine)
        self.events = ChangeFeed(self.engine)
        await self.events.start()
        jobs = SyncScheduler(self.engine, registry or Registry(regions=[]), levels=self.settings.service_levels,
                             listeners=[self._announce_run, self.metrics.on_sync_run],
                             concurrency=self.settings.sync_concurrency)
        self.jobs = jobs
        if registry is not None:
            self.sync = jobs
        # pushes to connected regions, and notifications to reporters and webhook subscribers
        self.dispatcher = Dispatcher(self.engine, registry or Registry(regions=[]), notifier=Notifier(self.settings))
        self.files = file_store(self.settings)
        self.deadlines = DeadlineWatch(self.engine, levels=self.settings.service_levels,
                                       escalation=self.settings.escalation_policy)
        if self.schedule:
            jobs.start()
            jobs.every(5, self.dispatcher.run_once, job_id="push-outbox")
            jobs.every(60, self._deadlines, job_id="deadlines")
            jobs.every(stats_cache.WARM_EVERY_SECONDS, self._warm_stats, job_id="stats-warm")
            jobs.every(3600, self._roll_up_stats, job_id="stats-roll-up")
            jobs.every(3600, self._prune_access_log, job_id="access-log-prune")
            jobs.every(3600, self._prune_sync_runs, job_id="sync-runs-prune")

    async def _deadlines(self) -> None:
        assert self.deadlines is not None
        await self.deadlines.run(datetime.now(UTC))

    async def _prune_access_log(self) -> None:
        assert self.engine is not None
        retention = timedelta(days=self.settings.access_log_retention_days)
        await prune_access_log(self.engine, older_than=datetime.now(UTC) - retention)

    async def _prune_sync_runs(self) -> None:
        assert self.engine is not None
        retention = timedelta(days=self.settings.sync_run_retention_days)
        await prune_sync_runs(self.engine, older_than=datetime.now(UTC) - retention)

    async def _warm_stats(self) -> None:
        assert self.engine is not None
        await stats_cache.warm(self.engine)

    async def _roll_up_stats(self) -> None:
        assert self.engine is not None
        await stats_tally.roll_up_open(self.engine, today=datetime.now(UTC).date())

    async def _announce_run(self, report: RunReport) -> None:
        if self.events is not None and report.run_id is not None:
            await self.events.publish({"type": "sync_run", "run_id": report.run_id, "region": report.region_code})

    async def stop(self) -> None:
        if self.jobs is not None:
            await self.jobs.shutdown()
        if self.dispatcher is not None:
            await self.dispatcher.close()
        if self.events is not None:
            await self.events.stop()
        if self.engine is not None:
            await self.engine.dispose()


class HubGraphQL(GraphQL[Context, None]):
    def __init__(self, runtime: Runtime, **kwargs: Any) -> None:
        super().__init__(build_schema(runtime.settings, trusted=runtime.trusted), **kwargs)
        self.runtime = runtime

    def encode_json(self, data: object) -> str:
        return orjson.dumps(data).decode()

    def create_response(self, response_data: Any, sub_response: Response) -> Response:
        response = super().create_response(response_data, sub_response)
        if getattr(sub_response, "graphql_response_media", False):
            response.headers["content-type"] = graphql_http.GRAPHQL_RESPONSE
            if response.status_code == 200 and graphql_http.is_request_error(response_data):
                response.status_code = 400
                response.body = self.encode_json({k: v for k, v in response_data.items() if k != "data"}).encode()
                response.headers["content-length"] = str(len(response.body))
        return response

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        return HTMLResponse(graphiql.page_html())

    async def get_context(self, request: Any, response: Any) -> Context:
        state = request.scope.setdefault("state", {})
        assert self.runtime.sessions is not None
        context = Context(
            viewer=state.get("viewer") or Viewer(),
            settings=self.runtime.settings,
            sessions=self.runtime.sessions,
            read_sessions=self.runtime.read_sessions,
            now=datetime.now(UTC),
            request=request,
            response=response,
            sync=self.runtime.sync,
            dispatcher=self.runtime.dispatcher,
            events=self.runtime.events,
            metrics=self.runtime.metrics,
            files=self.runtime.files,
        )
        state["hub_context"] = context
        if isinstance(response, Response):
            # read back by create_response: strawberry passes only this response object between the two
            response.graphql_response_media = graphql_http.wants_graphql_response(  # type: ignore[attr-defined]
                request.headers.get("accept"))
        return context

    async def on_ws_connect(self, context: Any) -> Any:
        """Accept the token from ``connection_init`` (``{"Authorization": "Bearer ..."}``) as well as the header."""
        params = getattr(context, "connection_params", None) or {}
        given = params.get("Authorization") or params.get("authorization")
        if given:
            try:
                context.viewer = await self.runtime.viewer(str(given))
            except InvalidToken:
                raise ConnectionRejectionError({"message": "token is not valid"}) from None
        return await super().on_ws_connect(context)


class GraphQLEndpoint:
    """Authenticate, run the GraphQL app, then release the request's session."""

    def __init__(self, runtime: Runtime, graphql: HubGraphQL) -> None:
        self.runtime = runtime
        self.graphql = graphql

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        runtime, graphql = self.runtime, self.graphql
        state = scope.setdefault("state", {})
        if scope["type"] in ("http", "websocket"):
            headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
            try:
                state["viewer"] = await runtime.viewer(headers.get("authorization"))
            except InvalidToken as exc:
                body = {"errors": [{"message": str(exc), "extensions": {"code": "UNAUTHENTICATED"}}]}
                refusal = JSONResponse(body, status_code=401)
                if scope["type"] == "http":
                    await refusal(scope, receive, send)
                else:
                    await refuse_upgrade(WebSocket(scope, receive, send), refusal)
                return
        settings = runtime.settings
        checked = await guarded_receive(scope, receive, send, max_bytes=settings.max_body_bytes,
                                        max_upload_bytes=settings.attachment_max_bytes * settings.attachment_max_files)
        if checked is None:
            return
        try:
            await graphql(scope, checked, send)
        finally:
            context = state.pop("hub_context", None)
            if context is not None:
                await context.close()


async def refuse_upgrade(websocket: WebSocket, refusal: JSONResponse) -> None:
    """Refuse a WebSocket upgrade with the HTTP answer itself (401 and why) where the
    server can send one; otherwise by closing before accepting, which is a 403."""
    if "websocket.http.response" in websocket.scope.get("extensions", {}):
        await websocket.send_denial_response(refusal)
    else:
        await websocket.close(code=4401, reason="token is not valid")


def create_app(settings: Settings | None = None, *, schedule: bool | None = None) -> Starlette:
    """The hub's API; in role ``all`` (the default) it also runs the pull schedule of
    ``HUB_REGIONS_FILE`` and the periodic jobs, in role ``api`` it does not (a ``hub
    worker`` does). ``schedule`` overrides the role (tests drive the jobs themselves).

    Also the factory ``hub serve --workers N`` hands to uvicorn (settings from the
    environment)."""
    settings = settings or get_settings()
    runtime = Runtime(settings, schedule=settings.schedules if schedule is None else schedule)
    graphql = HubGraphQL(runtime, graphql_ide="graphiql" if settings.is_dev else None,
                         multipart_uploads_enabled=True)  # attachments (GraphQL multipart request spec)
    endpoint = GraphQLEndpoint(runtime, graphql)

    async def healthz(request: Request) -> JSONResponse:
        try:
            assert runtime.engine is not None
            async with runtime.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means unhealthy
            log.warning("health check failed: %s", exc)
            return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
        return JSONResponse({"status": "ok", "database": "ok"})

    async def root(request: Request) -> RedirectResponse:
        return RedirectResponse("/graphql")

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        configure_logging()
        try:
            await runtime.start()
        except Exception as error:
            why = startup.reason(error, database_url=settings.database_url)
            log.error("cannot start: %s", why)
            await runtime.stop()
            raise startup.StartupFailed(why) from None
        tune_for_server()  # after start-up, so what it loaded is frozen out of collections
        try:
            yield
        finally:
            await runtime.stop()

    app = Starlette(
        routes=[
            Route("/", root),
            Route("/healthz", healthz),
            Route("/graphql", endpoint, methods=["GET", "POST"]),
            WebSocketRoute("/graphql", endpoint),
            *observability_endpoints.routes(runtime),
            *downloads.routes(runtime),
            *exports.routes(runtime),
            *dashboard.routes(),
            *graphiql.routes(),
        ],
        middleware=[Middleware(RequestIdMiddleware)],
        lifespan=lifespan,
    )
    app.state.runtime = runtime
    return app
