"""Deliveries are signed as Standard Webhooks says: the reference library accepts ours and refuses tampering."""

from __future__ import annotations

import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from hub.notify.signing import SignatureError, new_secret, signed_headers, verify
from hub.notify.webhooks import body_bytes

BODY = body_bytes({"type": "complaint.verified", "data": {"trackingId": "LPR-2025-0000123", "judul": "Jalan rusak"}})


def test_the_reference_library_verifies_our_signature():
    secret = new_secret()
    headers = signed_headers(secret, "LPR-2025-0000123:webhook:abc", BODY)
    assert Webhook(secret).verify(BODY, headers)["data"]["trackingId"] == "LPR-2025-0000123"
    verify(secret, headers, BODY)


def test_a_changed_body_another_secret_or_an_old_timestamp_is_refused():
    secret = new_secret()
    headers = signed_headers(secret, "m1", BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b"rusak", b"bagus"), headers)
    with pytest.raises(SignatureError):
        verify(new_secret(), headers, BODY)
    stale = signed_headers(secret, "m1", BODY, timestamp=int(time.time()) - 600)
    with pytest.raises(SignatureError, match="five minutes"):
        verify(secret, stale, BODY)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, stale)


def test_bodies_are_serialised_the_same_on_every_attempt():
    assert body_bytes({"b": 1, "a": "ü"}) == '{"a":"ü","b":1}'.encode()
