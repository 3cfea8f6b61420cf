"""A token's signature is checked once; a kept viewer still expires with its token."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from hub import tokens
from hub.domain.vocabulary import Role
from hub.tokens import InvalidToken, issue_token, viewer_from_token

SECRET = "a-test-secret-that-is-long-enough-for-hs256"


def test_a_kept_viewer_expires_with_its_token(monkeypatch):
    token = issue_token(secret=SECRET, role=Role.REGION_ADMIN, region_codes=["61.71"], ttl=timedelta(minutes=5))
    first = viewer_from_token(token, secret=SECRET)
    assert viewer_from_token(token, secret=SECRET) is first and first.region_codes == {"61.71"}
    with pytest.raises(InvalidToken):
        viewer_from_token(token, secret="another-secret-that-is-long-enough-for-hs256")
    later = time.time() + 301
    monkeypatch.setattr(tokens.time, "time", lambda: later)
    monkeypatch.setattr(tokens.jwt.api_jwt, "datetime", _Frozen(later), raising=False)
    with pytest.raises(InvalidToken, match="expired"):
        viewer_from_token(token, secret=SECRET)


class _Frozen:
    """``datetime`` as pyjwt reads the clock, frozen at ``moment``."""

    def __init__(self, moment: float) -> None:
        self.moment = moment

    def now(self, tz=None):
        from datetime import datetime

        return datetime.fromtimestamp(self.moment, tz)

    def __getattr__(self, name):
        from datetime import datetime

        return getattr(datetime, name)
