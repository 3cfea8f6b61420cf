"""Requests and updates as the Open311 simulator serves them.

A request carries every GeoReport v2 field (``service_request_id``,
``status``, ``status_notes``, ``service_name``, ``service_code``,
``description``, ``agency_responsible``, ``service_notice``,
``requested_datetime``, ``updated_datetime``, ``expected_datetime``,
``address``, ``address_id``, ``zipcode``, ``lat``, ``long``, ``media_url``)
and, beyond the spec, ``local_status``, the reporter's ``first_name`` /
``phone`` / ``email`` and ``lapor_tracking_id``. Times are W3C date-times in
the region's own offset, to the second.

Which requests have a photo, and which are sparse (served with gaps, see
:mod:`hub.simulators.open311.habits`), depends only on the seed and the
request id, so a request looks the same on every read.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta, tzinfo
from typing import Any

from hub.simulators.open311.habits import Open311Habits
from hub.simulators.open311.vocabulary import (
    AGENCY,
    EXPECTED_DAYS,
    EXTERNAL_STATUS_CODE,
    LOCAL_STATUS,
    OPEN,
    SERVICES,
    extended_status,
    service_notice,
)
from hub.simulators.store import SimComplaint, Update, parse_iso

# First two digits of the postal codes (kode pos) in each province.
POSTAL_PREFIX = {"11": "23", "12": "20", "13": "25", "14": "28", "15": "36", "16": "30", "17": "38", "18": "35",
                 "19": "33", "21": "29", "31": "10", "32": "40", "33": "50", "34": "55", "35": "60", "36": "42",
                 "51": "80", "52": "83", "53": "85", "61": "78", "62": "73", "63": "70", "64": "75", "65": "77",
                 "71": "95", "72": "94", "73": "90", "74": "93", "75": "96", "76": "91", "81": "97", "82": "97"}
# Left out of a sparse request; description and updated_datetime stay, served empty.
SPARSE_DROPPED = ("status_notes", "agency_responsible", "service_notice", "expected_datetime", "media_url",
                  "zipcode", "address_id")
PHOTO_SHARE = 0.3


def _share(*parts: object) -> float:
    """A number in [0, 1) fixed by ``parts``."""
    digest = hashlib.sha256(":".join(str(p) for p in parts).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _number(text: str, digits: int) -> int:
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:8], "big") % int(10**digits)


class Renderer:
    def __init__(self, *, seed: int, region_code: str, zone: tzinfo, jurisdiction: str) -> None:
        self.seed = seed
        self.zone = zone
        self.jurisdiction = jurisdiction
        self.postal_prefix = POSTAL_PREFIX.get(region_code.split(".")[0], "99")

    def stamp(self, text: str) -> str:
        return parse_iso(text).astimezone(self.zone).isoformat(timespec="seconds")

    def is_sparse(self, c: SimComplaint, habits: Open311Habits) -> bool:
        return habits.sparse_rate > 0 and _share(self.seed, "sparse", c.id) < habits.sparse_rate

    def request(self, c: SimComplaint, habits: Open311Habits) -> dict[str, Any]:
        code, name = SERVICES[c.category]
        last = c.updates[-1] if c.updates else None
        address = ", ".join(str(v) for v in (c.location.get("alamat"), c.location.get("kelurahan"),
                                               c.location.get("kecamatan")) if v)
        kelurahan = c.location.get("kelurahan")
        photo = c.media_url or (f"https://{self.jurisdiction}/media/laporan/{c.id}.jpg"
                                if _share(self.seed, "photo", c.id) < PHOTO_SHARE else None)
        expected = parse_iso(c.created_at) + timedelta(days=EXPECTED_DAYS[c.category])
        anonymous = bool(c.reporter.get("anonim"))
        record: dict[str, Any] = {
            "service_request_id": str(c.id),
            "status": "open" if c.stage in OPEN else "closed",
            "status_notes": last.text if last else None,
            "service_name": name,
            "service_code": code,
            "description": f"{c.title}\n{c.body}",
            "agency_responsible": AGENCY[c.category] if c.stage != "new" else None,
            "service_notice": service_notice(c.category),
            "requested_datetime": self.stamp(c.created_at),
            "updated_datetime": self.stamp(c.updated_at),
            "expected_datetime": expected.astimezone(self.zone).isoformat(timespec="seconds") if c.stage in OPEN else None,
            "address": address,
            "address_id": f"ALMT-{_number(address, 8):08d}" if address else None,
            "zipcode": f"{self.postal_prefix}{100 + _number(str(kelurahan), 3) % 900}" if kelurahan else None,
            "lat": c.location.get("lat"),
            "long": c.location.get("lng"),
            "media_url": photo,
            "local_status": LOCAL_STATUS[c.stage],
            "first_name": None if anonymous else c.reporter.get("nama"),
            "phone": None if anonymous else c.reporter.get("telepon"),
            "email": None if anonymous else c.reporter.get("email"),
            "lapor_tracking_id": c.tracking_id,
        }
        if self.is_sparse(c, habits):
            record["description"] = None
            record["updated_datetime"] = ""
            for field in SPARSE_DROPPED:
                del record[field]
        return record

    def update(self, c: SimComplaint, u: Update, habits: Open311Habits) -> dict[str, Any]:
        if habits.updates == "mysociety":
            return {"update_id": str(u.id), "service_request_id": str(c.id),
                    "status": u.status or extended_status(u.stage, u.id), "description": u.text,
                    "media_url": u.media_url or "", "updated_datetime": self.stamp(u.at),
                    "external_status_code": EXTERNAL_STATUS_CODE[u.stage]}
        return {"update_id": str(u.id), "service_request_id": str(c.id), "status": "open" if u.stage in OPEN else "closed",
                "local_status": LOCAL_STATUS[u.stage], "updated_datetime": self.stamp(u.at), "description": u.text,
                "author": u.author, "media_url": u.media_url}

    def updates(self, c: SimComplaint, habits: Open311Habits) -> list[dict[str, Any]]:
        return [self.update(c, u, habits) for u in c.updates]

    def ground_truth(self, c: SimComplaint, habits: Open311Habits) -> dict[str, Any]:
        """The request as served without faults, with every update it holds (served or not); an update a
        client posted also names the ``client_update_id`` it was posted with."""
        updates = []
        for u in c.updates:
            shown = self.update(c, u, habits)
            if u.client_update_id is not None:
                shown["client_update_id"] = u.client_update_id
            updates.append(shown)
        return {**self.request(c, habits), "updates": updates}
