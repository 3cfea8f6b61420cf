"""HTTP clients for regional apps, all on one TLS context per process.

Building a TLS context reads the whole CA bundle (tens of milliseconds, far
more on a busy machine), and ``httpx.AsyncClient()`` builds one per client
even for plain-HTTP URLs. A hub that keeps a client per region (550 of them)
or opens one per run would spend its CPU there; sharing one context costs it
once.
"""

from __future__ import annotations

import functools
import ssl

import httpx

from hub.connectors.registry import RegionConfig


@functools.cache
def tls_context() -> ssl.SSLContext:
    """The process's TLS context for regional apps (default verification, ``SSL_CERT_FILE`` honoured)."""
    return httpx.create_ssl_context()


def region_client(region: RegionConfig, *, limits: httpx.Limits | None = None) -> httpx.AsyncClient:
    """A client for ``region``'s app: its timeout, the shared TLS context."""
    return httpx.AsyncClient(timeout=httpx.Timeout(region.timeout_seconds), verify=tls_context(),
                             limits=limits or httpx.Limits())
