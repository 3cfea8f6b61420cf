"""Floors for bench/graphql_read.py: bare Starlette endpoints that serve the
same 50-complaint page with no GraphQL layer.

- ``/page``: SQLAlchemy Core, six statements, Python builds the JSON;
- ``/page-json`` (PostgreSQL only): one statement in which PostgreSQL builds
  the whole JSON document; Python only passes the bytes on.
"""

from __future__ import annotations

import os
from collections import defaultdict

from sqlalchemy import func, select, text
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from hub.store.database import create_engine
from hub.store.models import Agency, Category, Complaint, ComplaintSource, Region, TimelineEvent

engine = create_engine(os.environ["HUB_DATABASE_URL"])

PAGE_JSON = text("""
SELECT json_build_object('data', json_build_object('complaints', json_build_object('edges', coalesce(json_agg(
  json_build_object('node', json_build_object(
    'trackingId', p.tracking_id, 'title', p.title, 'status', p.status,
    'region', json_build_object('name', r.name),
    'agency', CASE WHEN a.id IS NULL THEN NULL ELSE json_build_object('name', a.name) END,
    'category', CASE WHEN k.code IS NULL THEN NULL ELSE json_build_object('name', k.name) END,
    'sources', (SELECT coalesce(json_agg(json_build_object('sourceSystem', s.source_system, 'sourceId', s.source_id)
                                         ORDER BY s.first_seen_at, s.id), '[]')
                FROM complaint_sources s WHERE s.complaint_id = p.id),
    'timeline', (SELECT coalesce(json_agg(json_build_object('kind', e.kind, 'actor', e.actor, 'occurredAt', e.occurred_at)
                                          ORDER BY e.occurred_at, e.id), '[]')
                 FROM (SELECT * FROM timeline_events t WHERE t.complaint_id = p.id
                       ORDER BY t.occurred_at DESC, t.id DESC LIMIT 3) e)
  )) ORDER BY p.created_at DESC, p.id DESC), '[]'))))::text
FROM (SELECT * FROM complaints WHERE merged_into_id IS NULL ORDER BY created_at DESC, id DESC LIMIT :first) p
JOIN regions r ON r.code = p.region_code
LEFT JOIN agencies a ON a.id = p.agency_id
LEFT JOIN categories k ON k.code = p.category_code
""")


async def page(request: Request) -> JSONResponse:
    size = int(request.query_params.get("first", "50"))
    async with engine.connect() as db:
        complaints = (
            await db.execute(select(Complaint.__table__).order_by(Complaint.created_at.desc(), Complaint.id.desc()).limit(size))
        ).mappings().all()
        ids = [c["id"] for c in complaints]
        regions = {r["code"]: r for r in (await db.execute(select(Region.__table__).where(Region.code.in_({c["region_code"] for c in complaints})))).mappings()}
        agencies = {a["id"]: a for a in (await db.execute(select(Agency.__table__).where(Agency.id.in_({c["agency_id"] for c in complaints if c["agency_id"]})))).mappings()}
        categories = {k["code"]: k for k in (await db.execute(select(Category.__table__).where(Category.code.in_({c["category_code"] for c in complaints if c["category_code"]})))).mappings()}
        sources: dict[int, list] = defaultdict(list)
        for s in (await db.execute(select(ComplaintSource.__table__).where(ComplaintSource.complaint_id.in_(ids)))).mappings():
            sources[s["complaint_id"]].append({"sourceSystem": s["source_system"], "sourceId": s["source_id"]})
        position = func.row_number().over(partition_by=TimelineEvent.complaint_id, order_by=(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc())).label("position")
        ranked = select(TimelineEvent.__table__, position).where(TimelineEvent.complaint_id.in_(ids)).subquery()
        events: dict[int, list] = defaultdict(list)
        for e in (await db.execute(select(ranked).where(ranked.c.position <= 3))).mappings():
            events[e["complaint_id"]].append({"kind": e["kind"], "actor": e["actor"], "occurredAt": str(e["occurred_at"])})
    body = [
        {
            "trackingId": c["tracking_id"],
            "title": c["title"],
            "status": c["status"],
            "region": {"name": regions[c["region_code"]]["name"]},
            "agency": {"name": agencies[c["agency_id"]]["name"]} if c["agency_id"] else None,
            "category": {"name": categories[c["category_code"]]["name"]} if c["category_code"] else None,
            "sources": sources[c["id"]],
            "timeline": events[c["id"]],
        }
        for c in complaints
    ]
    return JSONResponse({"data": {"complaints": {"edges": [{"node": node} for node in body]}}})


async def page_json(request: Request) -> Response:
    size = int(request.query_params.get("first", "50"))
    async with engine.connect() as db:
        document = (await db.execute(PAGE_JSON, {"first": size})).scalar_one()
    return Response(document, media_type="application/json")


async def healthz(request: Request) -> JSONResponse:
    async with engine.connect() as db:
        await db.execute(text("SELECT 1"))
    return JSONResponse({"status": "ok"})


app = Starlette(routes=[Route("/page", page), Route("/page-json", page_json), Route("/healthz", healthz)])
