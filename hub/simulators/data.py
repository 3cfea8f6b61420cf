"""Seeded, realistic Indonesian complaints in the simulators' neutral shape.

Everything is drawn from ``random.Random(seed)`` and a seeded Faker
``id_ID``, so a simulator started with the same seed holds the same records.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Callable
from datetime import datetime, timedelta

from faker import Faker

from hub.domain.reference import regions_by_code
from hub.simulators.store import SimComplaint, Update, iso

# Neutral category keys; each app names them in its own words.
CATEGORY_KEYS = ("road", "waste", "water", "light", "health", "school", "idcard", "welfare", "order", "other")

_TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "road": (
        ("Jalan berlubang di {street}", "Jalan di {street} berlubang besar dan membahayakan pengendara, terutama saat hujan."),
        ("Jembatan rusak dekat {place}", "Papan jembatan dekat {place} sudah lapuk, warga khawatir terjadi kecelakaan."),
    ),
    "waste": (
        ("Sampah menumpuk di {street}", "Sampah di {street} sudah seminggu tidak diangkut dan menimbulkan bau tidak sedap."),
        ("TPS liar dekat {place}", "Ada tempat pembuangan sampah liar di dekat {place}, mohon ditertibkan."),
    ),
    "water": (
        ("Air PDAM tidak mengalir di {street}", "Sudah tiga hari air PDAM di {street} mati tanpa pemberitahuan."),
        ("Saluran air tersumbat di {street}", "Drainase di {street} tersumbat sehingga jalan tergenang setiap hujan."),
    ),
    "light": (
        ("Lampu PJU mati di {street}", "Lampu penerangan jalan umum di {street} mati sejak dua minggu, rawan kejahatan."),
    ),
    "health": (
        ("Antrean panjang di Puskesmas {place}", "Pelayanan di Puskesmas {place} sangat lambat, pasien menunggu lebih dari 4 jam."),
        ("Obat kosong di Puskesmas {place}", "Obat untuk penyakit kronis sering kosong di Puskesmas {place}."),
    ),
    "school": (
        ("Pungutan di SDN {number} {place}", "Orang tua murid SDN {number} {place} diminta membayar pungutan yang tidak jelas."),
        ("Atap kelas bocor di SMPN {number} {place}", "Atap ruang kelas SMPN {number} {place} bocor saat hujan."),
    ),
    "idcard": (
        ("KTP-el belum jadi setelah {number} bulan", "Saya merekam KTP-el {number} bulan lalu di Disdukcapil namun belum juga dicetak."),
        ("Pengurusan KK dipersulit", "Petugas kelurahan {place} meminta syarat tambahan untuk perubahan KK."),
    ),
    "welfare": (
        ("Bansos PKH tidak cair", "Bantuan PKH keluarga kami di {place} tidak cair sejak {number} bulan."),
        ("Data penerima BLT tidak tepat sasaran", "Banyak warga mampu di {place} menerima BLT sementara warga miskin tidak."),
    ),
    "order": (
        ("Pedagang kaki lima menutup trotoar di {street}", "PKL di {street} menutup trotoar sehingga pejalan kaki harus turun ke jalan."),
        ("Parkir liar di {street}", "Parkir liar di {street} menyebabkan kemacetan setiap sore."),
    ),
    "other": (
        ("Pelayanan kantor kelurahan {place} lambat", "Pelayanan surat pengantar di kantor kelurahan {place} memakan waktu berhari-hari."),
    ),
}

CONFIDENTIAL_SHARE = 0.1

FOLLOW_UP_TEXTS = {
    "verified": ("Laporan telah diverifikasi dan diteruskan ke OPD terkait.", "Laporan lengkap, diteruskan untuk ditindaklanjuti."),
    "in_progress": (
        "Petugas sudah meninjau lokasi dan menjadwalkan penanganan.",
        "Laporan sedang ditangani oleh bidang terkait.",
        "Tim lapangan telah berkoordinasi dengan pihak kelurahan.",
    ),
    "done": ("Perbaikan telah selesai dilaksanakan, terima kasih atas laporannya.", "Permasalahan sudah ditangani dan diselesaikan."),
    "rejected": ("Laporan tidak dapat diproses karena data kurang lengkap.", "Laporan bukan kewenangan pemerintah daerah."),
    "withdrawn": ("Laporan dicabut atas permintaan pelapor.",),
}

AUTHORS = ("Admin Kanal Pengaduan", "Petugas Dinas PUPR", "Petugas Dinas Kesehatan", "Operator Kelurahan",
           "Petugas DLH", "Admin Diskominfo")

# Rough centroids per province, for plausible coordinates.
_CENTROIDS = {
    "11": (4.7, 96.7), "12": (2.1, 99.5), "13": (-0.7, 100.8), "14": (0.3, 101.7), "15": (-1.6, 103.6),
    "16": (-3.3, 104.0), "17": (-3.8, 102.3), "18": (-4.6, 105.4), "19": (-2.7, 106.4), "21": (3.9, 108.1),
    "31": (-6.2, 106.8), "32": (-6.9, 107.6), "33": (-7.2, 110.1), "34": (-7.8, 110.4), "35": (-7.5, 112.2),
    "36": (-6.4, 106.1), "51": (-8.4, 115.2), "52": (-8.6, 117.4), "53": (-8.7, 121.1), "61": (0.0, 109.3),
    "62": (-1.7, 113.4), "63": (-3.1, 115.3), "64": (0.5, 116.4), "65": (3.1, 116.0), "71": (0.6, 123.9),
    "72": (-1.4, 121.4), "73": (-3.7, 120.0), "74": (-4.1, 122.2), "75": (0.7, 122.4), "76": (-2.8, 119.2),
    "81": (-3.2, 130.1), "82": (1.6, 127.8), "91": (-2.5, 140.7), "92": (-1.3, 133.2), "93": (-7.0, 139.5),
    "94": (-3.9, 136.4), "95": (-4.1, 138.9), "96": (-0.9, 131.3),
}


class Generator:
    def __init__(self, seed: int, region_code: str) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        self.region_code = region_code
        self.region_name = regions_by_code()[region_code].name

    def _location(self) -> dict[str, object]:
        lat, lng = _CENTROIDS.get(self.region_code.split(".")[0], (-2.5, 118.0))
        return {
            "alamat": self.fake.street_address(),
            "kelurahan": f"Kelurahan {self.fake.last_name()}",
            "kecamatan": f"Kecamatan {self.fake.city_name()}",
            "kabupaten": self.region_name,
            "lat": round(lat + self.rng.uniform(-0.15, 0.15), 6),
            "lng": round(lng + self.rng.uniform(-0.15, 0.15), 6),
        }

    def _reporter(self) -> dict[str, object]:
        return {
            "nama": self.fake.name(),
            "telepon": self.fake.phone_number(),
            "email": self.fake.free_email(),
            "anonim": self.rng.random() < 0.12,
        }

    def confidential(self, complaint_id: int) -> bool:
        """About one complaint in ten is confidential (rahasia). Drawn from a hash of the
        seed and id rather than ``rng``, so every other seeded value stays as it was."""
        digest = hashlib.sha256(f"{self.seed}:rahasia:{complaint_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < CONFIDENTIAL_SHARE

    def text(self, category: str, location: dict[str, object]) -> tuple[str, str]:
        title, body = self.rng.choice(_TEMPLATES[category])
        values = {"street": location["alamat"], "place": location["kelurahan"], "number": self.rng.randint(1, 12)}
        return title.format(**values), body.format(**values)

    def complaint(self, complaint_id: int, ticket: str, created: datetime) -> SimComplaint:
        category = self.rng.choice(CATEGORY_KEYS)
        location = self._location()
        title, body = self.text(category, location)
        stamp = iso(created)
        return SimComplaint(
            id=complaint_id, ticket=ticket, title=title, body=body, category=category, stage="new",
            reporter=self._reporter(), location=location, created_at=stamp, updated_at=stamp,
            confidential=self.confidential(complaint_id),
        )

    def advance(self, complaint: SimComplaint, update_id: int, at: datetime) -> bool:
        """Move an open complaint one step along, with a follow-up; False if it is finished."""
        nxt = {"new": ("verified", "rejected"), "verified": ("in_progress",), "in_progress": ("in_progress", "done")}
        choices = nxt.get(complaint.stage)
        if not choices:
            return False
        weights = {"rejected": 0.1, "verified": 0.9, "in_progress": 0.5, "done": 0.5}
        stage = self.rng.choices(choices, weights=[weights[c] for c in choices])[0]
        text = self.rng.choice(FOLLOW_UP_TEXTS[stage])
        complaint.stage = stage
        complaint.updates.append(Update(id=update_id, text=text, author=self.rng.choice(AUTHORS), stage=stage, at=iso(at)))
        complaint.updated_at = iso(at)
        return True

    def history(self, complaint: SimComplaint, next_update_id: Callable[[], int], until: datetime) -> None:
        """Give a seeded complaint a plausible past: some steps between creation and ``until``."""
        steps = self.rng.choice((0, 0, 1, 2, 3, 4))
        at = datetime.fromisoformat(complaint.created_at)
        for _ in range(steps):
            at = at + timedelta(hours=self.rng.randint(4, 24 * 6), minutes=self.rng.randint(0, 59))
            if at >= until or not self.advance(complaint, next_update_id(), at):
                break
