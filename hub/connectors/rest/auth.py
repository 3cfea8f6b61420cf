"""How the hub proves who it is to a REST region, one way per ``auth`` option.

- ``header``: ``<auth_header>: <api_key>`` (``X-API-Key`` by default);
- ``bearer``: ``Authorization: Bearer <api_key>`` (RFC 6750);
- ``basic``: HTTP basic with ``credentials.username`` / ``credentials.password`` (RFC 7617);
- ``query``: ``?<auth_query_param>=<api_key>`` on every call, writes included;
- ``none``: nothing.

Secrets come from the environment variables the region's ``credentials``
name; a missing one is a :class:`FatalError` that says which.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from hub.connectors.records import FatalError
from hub.connectors.rest.options import RestOptions


@dataclass(frozen=True)
class Credentials:
    headers: dict[str, str] = field(default_factory=dict)
    params: dict[str, str] = field(default_factory=dict)
    auth: httpx.Auth | None = None


def credentials(options: RestOptions, secrets: dict[str, str], region_code: str) -> Credentials:
    missing = [name for name in options.needed_credentials() if not secrets.get(name)]
    if missing:
        raise FatalError(f"region {region_code}: credentials.{', credentials.'.join(missing)} not available "
                         f"(auth = {options.auth!r} needs {', '.join(options.needed_credentials())})")
    match options.auth:
        case "header":
            return Credentials(headers={options.auth_header or "X-API-Key": secrets["api_key"]})
        case "bearer":
            return Credentials(headers={"Authorization": f"Bearer {secrets['api_key']}"})
        case "basic":
            return Credentials(auth=httpx.BasicAuth(secrets["username"], secrets["password"]))
        case "query":
            return Credentials(params={options.auth_query_param: secrets["api_key"]})
    return Credentials()
