"""The national dashboard: a static page served by the hub at ``/dashboard``.

The page is an ordinary GraphQL client: its script fetches ``/graphql`` in the
browser (statistics, ranking, connectors overview) with the token the user
pastes or passes in the URL fragment (``#token=...``, never sent to the
server), and draws charts with Plotly. Plotly's JavaScript ships inside the
``plotly`` wheel (``plotly/package_data/plotly.min.js``); the hub serves that
file itself, so the dashboard works without any internet access.
"""

from __future__ import annotations

from hub.dashboard.serve import routes

OPERATION_NAMES = frozenset({"Dashboard", "DashboardConnectors", "DashboardRanking"})  # its metric labels

__all__ = ["OPERATION_NAMES", "routes"]
