"""Routes of the dashboard: the page, its own assets and the bundled Plotly."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

STATIC = Path(str(resources.files("hub.dashboard") / "static"))
ASSETS = {"dashboard.js": "text/javascript", "dashboard.css": "text/css"}


def plotly_bundle() -> Path:
    """``plotly.min.js`` from the installed plotly package."""
    return Path(str(resources.files("plotly") / "package_data" / "plotly.min.js"))


async def page(request: Request) -> Response:
    return FileResponse(STATIC / "index.html", media_type="text/html", headers={"Cache-Control": "no-cache"})


async def asset(request: Request) -> Response:
    name = request.path_params["name"]
    if name == "plotly.min.js":
        return FileResponse(plotly_bundle(), media_type="text/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})
    if name not in ASSETS:
        raise HTTPException(404)
    return FileResponse(STATIC / name, media_type=ASSETS[name], headers={"Cache-Control": "no-cache"})


async def slash(request: Request) -> Response:
    return RedirectResponse("/dashboard")


def routes() -> list[BaseRoute]:
    return [
        Route("/dashboard", page),
        Route("/dashboard/", slash),
        Route("/dashboard/static/{name}", asset),
    ]
