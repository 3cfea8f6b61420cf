"""GraphiQL served from the hub itself, with no CDN.

The page is strawberry's own GraphiQL page with each CDN address replaced by
the hub's copy of the same file (``static/``, see ``static/ORIGIN.md``); the
browser still checks each file against the page's integrity hash. A page
opened as ``/graphql?headers={"Authorization": "Bearer …"}`` starts with that
header filled in (``hub demo`` prints such a link).
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Route
from strawberry.http.ides import get_graphql_ide_html

STATIC = Path(str(resources.files("hub.graphiql") / "static"))
PREFIX = "/graphiql/static/"

# CDN address on strawberry's page -> the hub's copy
ASSETS = {
    "https://unpkg.com/react@18.2.0/umd/react.production.min.js": "react.production.min.js",
    "https://unpkg.com/react-dom@18.2.0/umd/react-dom.production.min.js": "react-dom.production.min.js",
    "https://unpkg.com/js-cookie@3.0.5/dist/js.cookie.min.js": "js.cookie.min.js",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.css": "graphiql.min.css",
    "https://unpkg.com/graphiql@3.8.3/graphiql.min.js": "graphiql.min.js",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/style.css": "graphiql-plugin-explorer.css",
    "https://unpkg.com/@graphiql/plugin-explorer@1.0.2/dist/index.umd.js": "graphiql-plugin-explorer.umd.js",
}
MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css"}


class AssetsOutOfDate(RuntimeError):
    pass


@cache
def page_html() -> str:
    """Strawberry's GraphiQL page, pointing at the hub's own copies of its assets."""
    html = get_graphql_ide_html(graphql_ide="graphiql")
    for cdn, name in ASSETS.items():
        html = html.replace(cdn, PREFIX + name)
    remote = sorted(set(re.findall(r'(?:src|href)="(https?://[^"]+)"', html)))
    if remote:
        raise AssetsOutOfDate(f"the GraphiQL page asks for files the hub does not ship: {', '.join(remote)}; "
                              "see hub/graphiql/static/ORIGIN.md")
    return html


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name not in ASSETS.values():
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=MEDIA_TYPES[Path(name).suffix],
                        headers={"Cache-Control": "public, max-age=604800, immutable"})


def routes() -> list[BaseRoute]:
    return [Route(PREFIX + "{name}", asset)]
