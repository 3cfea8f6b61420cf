"""Signed JWTs that say who the caller is (a :class:`~hub.domain.access.Viewer`).

Claims: ``role`` (absent token means ``PUBLIC``), ``regions`` (region codes of
a region admin), ``agency`` (agency id of an agency officer), ``reporter``
(reporter id), ``complaints`` (complaint ids a reporter token was opened for,
by a secret code), ``sub`` (who, for timelines), ``exp``.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

import jwt

from hub.domain.access import PUBLIC, Viewer
from hub.domain.regions import is_region_code
from hub.domain.vocabulary import Role

ISSUER = "lapor-hub"


class InvalidToken(ValueError):
    pass


def issue_token(
    *,
    secret: str,
    role: Role,
    region_codes: Iterable[str] = (),
    agency_id: int | None = None,
    reporter_id: int | None = None,
    complaint_ids: Iterable[int] = (),
    subject: str | None = None,
    ttl: timedelta = timedelta(days=30),
    algorithm: str = "HS256",
) -> str:
    codes = sorted(set(region_codes))
    for code in codes:
        if not is_region_code(code):
            raise ValueError(f"{code!r} is not a Kemendagri region code such as 61 or 61.71")
    if role is Role.REGION_ADMIN and not codes:
        raise ValueError("a REGION_ADMIN token needs at least one region code")
    if role is Role.AGENCY_OFFICER and agency_id is None:
        raise ValueError("an AGENCY_OFFICER token needs an agency id")
    complaints = sorted(set(complaint_ids))
    if role is Role.REPORTER and reporter_id is None and not complaints:
        raise ValueError("a REPORTER token needs a reporter id or complaint ids")
    now = datetime.now(UTC)
    claims: dict[str, object] = {
        "iss": ISSUER,
        "iat": now,
        "exp": now + ttl,
        "sub": subject or role.value.lower(),
        "role": role.value,
    }
    if codes:
        claims["regions"] = codes
    if agency_id is not None:
        claims["agency"] = agency_id
    if reporter_id is not None:
        claims["reporter"] = reporter_id
    if complaints:
        claims["complaints"] = complaints
    return jwt.encode(claims, secret, algorithm=algorithm)


VERIFIED_KEPT = 1024  # tokens whose signature was checked, kept until they expire


_verified: OrderedDict[tuple[str, str, str], tuple[Viewer, float]] = OrderedDict()


def viewer_from_token(token: str | None, *, secret: str, algorithm: str = "HS256") -> Viewer:
    """The viewer a token names. A client sends the same token with every request:
    its signature and claims are checked the first time, and the viewer is kept
    (at most :data:`VERIFIED_KEPT` of them) until the token expires."""
    if not token:
        return PUBLIC
    key = (token, secret, algorithm)
    kept = _verified.get(key)
    if kept is not None:
        if time.time() < kept[1]:
            _verified.move_to_end(key)
            return kept[0]
        del _verified[key]
    viewer, expires = _verify(token, secret=secret, algorithm=algorithm)
    _verified[key] = (viewer, expires)
    if len(_verified) > VERIFIED_KEPT:
        _verified.popitem(last=False)
    return viewer


def _verify(token: str, *, secret: str, algorithm: str) -> tuple[Viewer, float]:
    try:
        claims = jwt.decode(token, secret, algorithms=[algorithm], issuer=ISSUER, options={"require": ["exp", "role"]})
        role = Role(claims["role"])
        regions = claims.get("regions", [])
        if not isinstance(regions, list) or not all(isinstance(c, str) for c in regions):
            raise InvalidToken("token claim `regions` must be a list of region codes")
        complaints = claims.get("complaints", [])
        if not isinstance(complaints, list) or not all(type(c) is int for c in complaints):
            raise InvalidToken("token claim `complaints` must be a list of complaint ids")
        return Viewer(
            role=role,
            region_codes=frozenset(regions),
            agency_id=_optional_int(claims, "agency"),
            reporter_id=_optional_int(claims, "reporter"),
            complaint_ids=frozenset(complaints),
            subject=str(claims.get("sub") or role.value.lower()),
        ), float(claims["exp"])
    except jwt.ExpiredSignatureError:
        raise InvalidToken("token has expired; ask for a new one") from None
    except (jwt.InvalidTokenError, ValueError, KeyError) as exc:
        raise InvalidToken(f"token is not valid: {exc}") from None


def _optional_int(claims: dict[str, object], name: str) -> int | None:
    value = claims.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidToken(f"token claim `{name}` must be an integer")
    return value


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise InvalidToken("Authorization header must be `Bearer <token>`")
    return value.strip()
