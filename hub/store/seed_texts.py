"""Indonesian vocabulary and proportions for seeded complaints (see :mod:`hub.store.seeding`).

How often each category, type, privacy, channel and (by age) status occurs;
agencies (OPD) with the categories they handle, title and body templates per
category, follow-up, resolution and rejection texts, rating comments, and a
small geography: rough province centroids and populations (millions), used to
place complaints and weight regions.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any, NamedTuple

from hub.domain.vocabulary import Channel, ComplaintType, Privacy, Status


class AgencySpec(NamedTuple):
    name: str
    short_name: str
    categories: tuple[str, ...]


AGENCIES: tuple[AgencySpec, ...] = (
    AgencySpec("Dinas Pekerjaan Umum dan Penataan Ruang", "DPUPR", ("INFRASTRUCTURE", "ROADS", "WATER")),
    AgencySpec("Dinas Kesehatan", "DINKES", ("HEALTH",)),
    AgencySpec("Dinas Pendidikan dan Kebudayaan", "DISDIKBUD", ("EDUCATION",)),
    AgencySpec("Dinas Kependudukan dan Pencatatan Sipil", "DISDUKCAPIL", ("CIVIL_REGISTRY",)),
    AgencySpec("Dinas Sosial", "DINSOS", ("SOCIAL_ASSISTANCE",)),
    AgencySpec("Dinas Lingkungan Hidup", "DLH", ("ENVIRONMENT",)),
    AgencySpec("Dinas Perhubungan", "DISHUB", ("TRANSPORT", "ELECTRICITY")),
    AgencySpec("Satuan Polisi Pamong Praja", "SATPOLPP", ("PUBLIC_ORDER",)),
    AgencySpec("Badan Penanggulangan Bencana Daerah", "BPBD", ("DISASTER",)),
    AgencySpec("Dinas Penanaman Modal dan PTSP", "DPMPTSP", ("LICENSING",)),
    AgencySpec("Badan Kepegawaian dan Pengembangan SDM", "BKPSDM", ("CIVIL_SERVICE",)),
    AgencySpec("Dinas Tenaga Kerja", "DISNAKER", ("EMPLOYMENT",)),
)

AGENCY_FOR_CATEGORY: dict[str, str] = {c: a.short_name for a in AGENCIES for c in a.categories}

# Placeholders: {street} {place} {school} {facility} {kelurahan} {month} {n}
TITLES: dict[str, tuple[str, ...]] = {
    "INFRASTRUCTURE": (
        "Drainase tersumbat di {street}", "Trotoar rusak di depan {place}",
        "Saluran air meluap setiap hujan di {kelurahan}", "Jembatan penyeberangan orang rusak dekat {place}",
    ),
    "ROADS": (
        "Jalan berlubang di {street} dekat {school}", "Jalan rusak parah di {kelurahan}",
        "Aspal mengelupas di {street}", "Jembatan kayu di {kelurahan} hampir ambruk",
    ),
    "WATER": (
        "Air PDAM tidak mengalir sejak {month} di {kelurahan}", "Air PDAM keruh dan berbau di {street}",
        "Pipa air bocor di {street}", "Sumur bor umum di {kelurahan} rusak",
    ),
    "ELECTRICITY": (
        "Lampu PJU mati sejak {month} di {street}", "Lampu jalan padam di sekitar {place}",
        "Tiang PJU miring membahayakan di {street}",
    ),
    "HEALTH": (
        "Antrean BPJS di {facility} sangat lama", "Pasien ditolak di {facility}",
        "Obat kosong di {facility}", "Petugas {facility} tidak ramah", "Posyandu di {kelurahan} tidak aktif",
    ),
    "EDUCATION": (
        "Pungutan liar di {school}", "Dana BOS {school} tidak transparan", "Atap kelas {school} bocor",
        "Zonasi PPDB {school} tidak sesuai", "Guru honorer {school} belum digaji {n} bulan",
    ),
    "CIVIL_REGISTRY": (
        "Pelayanan KTP-el di Disdukcapil lambat", "Blangko KTP-el habis di kecamatan {kecamatan}",
        "Akta kelahiran anak belum terbit", "Kartu Keluarga belum selesai setelah {n} minggu",
        "Perekaman KTP-el di kecamatan {kecamatan} ditutup",
    ),
    "SOCIAL_ASSISTANCE": (
        "Bansos PKH tidak cair sejak {month}", "BPNT tidak tepat sasaran di {kelurahan}",
        "Nama keluarga miskin tidak masuk DTKS", "BLT dana desa {kelurahan} dipotong",
    ),
    "ENVIRONMENT": (
        "Sampah menumpuk di {place}", "Pembakaran sampah di {kelurahan} mengganggu warga",
        "Limbah pabrik mencemari sungai di {kelurahan}", "TPS liar di {street}",
    ),
    "TRANSPORT": (
        "Parkir liar di {street}", "Angkot ngetem sembarangan di depan {place}",
        "Lampu lalu lintas mati di simpang {street}", "Halte rusak di {street}",
    ),
    "PUBLIC_ORDER": (
        "PKL menutup trotoar di {street}", "Balap liar setiap malam di {street}",
        "Tempat hiburan malam bising di {kelurahan}", "Bangunan liar di bantaran sungai {kelurahan}",
    ),
    "EMPLOYMENT": (
        "Gaji di bawah UMK di perusahaan di {kelurahan}", "THR karyawan tidak dibayar",
        "PHK sepihak tanpa pesangon", "Kartu kuning (AK/1) sulit diurus",
    ),
    "LICENSING": (
        "Izin PBG tidak selesai setelah {n} bulan", "NIB usaha mikro ditolak sistem OSS",
        "Pungli pengurusan izin usaha di {place}",
    ),
    "CIVIL_SERVICE": (
        "Pegawai kecamatan {kecamatan} sering tidak di tempat", "Seleksi PPPK tidak transparan",
        "ASN berbisnis di jam kerja",
    ),
    "DISASTER": (
        "Banjir merendam {kelurahan}", "Tanah longsor menutup akses {kelurahan}",
        "Korban angin puting beliung di {kelurahan} belum dibantu", "Tanggul sungai di {kelurahan} jebol",
    ),
    "OTHER": (
        "Pelayanan di kantor kelurahan {kelurahan} lambat", "Informasi layanan {place} tidak jelas",
        "Pengaduan terkait fasilitas umum di {place}",
    ),
}

BODY_OPENINGS: tuple[str, ...] = (
    "Selamat siang Bapak/Ibu, saya ingin melaporkan bahwa",
    "Mohon perhatian dan tindak lanjut, kami warga sekitar mengeluhkan bahwa",
    "Assalamualaikum, izin menyampaikan keluhan:",
    "Kepada Yth. pemerintah daerah, dengan ini kami melaporkan bahwa",
    "Saya warga setempat ingin menyampaikan bahwa",
)
BODY_DETAILS: tuple[str, ...] = (
    "Kondisi ini sudah berlangsung sejak {month} dan belum ada perbaikan.",
    "Sudah pernah dilaporkan ke RT/RW tetapi belum ada tindakan.",
    "Hal ini sangat mengganggu aktivitas warga, terutama anak sekolah dan lansia.",
    "Sudah {n} kali kejadian serupa dalam sebulan terakhir.",
    "Foto kondisi terlampir, lokasi tepatnya di dekat {place}.",
)
BODY_CLOSINGS: tuple[str, ...] = (
    "Mohon segera ditindaklanjuti. Terima kasih.",
    "Besar harapan kami agar segera ada solusi.",
    "Terima kasih atas perhatiannya.",
    "Mohon informasi kapan akan ditangani.",
)
ASPIRATION_PREFIX = "Usulan: "
INFORMATION_PREFIX = "Mohon informasi: "

PLACES: tuple[str, ...] = (
    "Pasar Induk", "Pasar Baru", "Terminal Kota", "Alun-alun", "Masjid Agung", "Kantor Kecamatan",
    "Stadion", "Taman Kota", "Stasiun", "Puskesmas", "Kantor Pos", "Gereja Katedral", "SPBU",
    "Perumahan Griya Asri", "Rusunawa", "Gang Melati", "Lapangan Merdeka", "Bundaran",
)
STREETS: tuple[str, ...] = (
    "Jl. Sudirman", "Jl. Ahmad Yani", "Jl. Diponegoro", "Jl. Gatot Subroto", "Jl. Pahlawan", "Jl. Merdeka",
    "Jl. Imam Bonjol", "Jl. Hasanuddin", "Jl. Pattimura", "Jl. Veteran", "Jl. Cut Nyak Dien",
    "Jl. Kartini", "Jl. Teuku Umar", "Jl. Sisingamangaraja", "Jl. Gajah Mada", "Jl. Hayam Wuruk",
    "Jl. Raya Pos", "Jl. Kenanga", "Jl. Mawar", "Jl. Flamboyan", "Jl. Pemuda", "Jl. Antasari",
)
SCHOOLS: tuple[str, ...] = ("SDN {n}", "SMPN {n}", "SMAN {n}", "SMKN {n}", "MIN {n}", "SD Inpres {n}")
FACILITIES: tuple[str, ...] = ("RSUD", "Puskesmas Kecamatan", "Puskesmas Pembantu", "Klinik Pratama", "RSIA")
KELURAHAN: tuple[str, ...] = (
    "Sukamaju", "Sukajadi", "Mekarsari", "Sidomulyo", "Karangrejo", "Tanjung Harapan", "Air Hitam",
    "Kampung Baru", "Margahayu", "Suka Damai", "Sumber Agung", "Bukit Tinggi", "Pasir Putih",
    "Tegalsari", "Batu Ampar", "Lubuk Buaya", "Wonosari", "Kebon Jeruk", "Pondok Indah", "Telaga Biru",
)
KECAMATAN: tuple[str, ...] = (
    "Kota Barat", "Kota Timur", "Kota Utara", "Kota Selatan", "Kota Tengah", "Sungai Raya", "Tanjung",
    "Bukit Raya", "Pasar Minggu", "Mandau", "Karang Tengah", "Sukasari", "Danau Teluk", "Seberang Ulu",
)
MONTHS: tuple[str, ...] = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
    "November", "Desember",
)

POSTPONE_TEXTS: tuple[str, ...] = (
    "Laporan ditunda: mohon lengkapi lokasi kejadian secara rinci.",
    "Laporan ditunda: mohon lampirkan foto atau bukti pendukung.",
    "Laporan ditunda: mohon jelaskan kronologi dan waktu kejadian.",
)
ADD_DETAIL_TEXTS: tuple[str, ...] = (
    "Berikut saya lengkapi lokasi dan foto kejadian.",
    "Kronologi sudah saya tambahkan, mohon diproses.",
)
REJECT_TEXTS: tuple[str, ...] = (
    "Laporan tidak dapat diproses karena bukan kewenangan pemerintah daerah.",
    "Laporan duplikat dari laporan yang sudah ditangani.",
    "Laporan tidak memuat informasi yang cukup untuk ditindaklanjuti.",
    "Laporan mengandung unsur SARA/ujaran kebencian.",
)
VERIFY_TEXT = "Laporan telah diverifikasi dan akan diteruskan ke instansi terkait."
FOLLOW_UP_TEXTS: tuple[str, ...] = (
    "Terima kasih atas laporannya. Tim kami akan melakukan pengecekan ke lokasi.",
    "Laporan sudah kami terima dan sedang dikoordinasikan dengan bidang terkait.",
    "Petugas telah meninjau lokasi; penanganan dijadwalkan minggu ini.",
    "Kami sudah berkoordinasi dengan pihak kecamatan dan kelurahan setempat.",
    "Penanganan sedang berlangsung, mohon kesabaran Bapak/Ibu.",
    "Permasalahan masuk dalam rencana kegiatan dan anggaran tahun berjalan.",
)
RESOLVE_TEXTS: tuple[str, ...] = (
    "Perbaikan telah selesai dilaksanakan. Terima kasih atas partisipasinya.",
    "Permasalahan sudah ditangani; dokumentasi terlampir.",
    "Yang bersangkutan sudah kami proses dan layanan telah diberikan.",
    "Petugas telah menyelesaikan penanganan di lokasi.",
)
WITHDRAW_TEXTS: tuple[str, ...] = (
    "Laporan dicabut oleh pelapor karena masalah sudah selesai.",
    "Pelapor mencabut laporan.",
)
ARCHIVE_TEXT = "Laporan diarsipkan."
CLOSE_TEXT = "Laporan ditutup otomatis setelah batas waktu tanggapan pelapor."
RATING_COMMENTS: dict[int, tuple[str, ...]] = {
    1: ("Tidak ada perbaikan sama sekali.", "Kecewa, laporan ditutup tanpa penyelesaian."),
    2: ("Penanganan lambat dan belum tuntas.", "Hanya diperbaiki sebagian."),
    3: ("Cukup, tapi butuh waktu lama.", "Lumayan, semoga ke depan lebih cepat."),
    4: ("Terima kasih, sudah ditangani dengan baik.", "Respon cukup cepat."),
    5: ("Mantap, cepat sekali ditangani!", "Terima kasih banyak, pelayanan sangat baik."),
}

# province code -> (latitude, longitude, population in millions), rough figures
PROVINCES: dict[str, tuple[float, float, float]] = {
    "11": (4.7, 96.7, 5.5), "12": (2.1, 99.5, 15.6), "13": (-0.7, 100.8, 5.8), "14": (0.3, 101.7, 6.8),
    "15": (-1.6, 103.6, 3.7), "16": (-3.3, 104.2, 8.8), "17": (-3.8, 102.3, 2.1), "18": (-4.6, 105.4, 9.3),
    "19": (-2.7, 106.4, 1.5), "21": (3.9, 108.1, 2.2), "31": (-6.2, 106.8, 10.7), "32": (-6.9, 107.6, 50.3),
    "33": (-7.2, 110.1, 37.9), "34": (-7.9, 110.4, 3.7), "35": (-7.5, 112.2, 41.6), "36": (-6.4, 106.1, 12.4),
    "51": (-8.4, 115.2, 4.4), "52": (-8.7, 117.4, 5.6), "53": (-8.7, 121.1, 5.6), "61": (0.0, 111.5, 5.6),
    "62": (-1.7, 113.4, 2.8), "63": (-3.1, 115.3, 4.2), "64": (0.5, 116.4, 4.0), "65": (3.1, 116.0, 0.7),
    "71": (0.6, 124.0, 2.7), "72": (-1.4, 121.4, 3.1), "73": (-3.7, 119.9, 9.4), "74": (-4.1, 122.2, 2.8),
    "75": (0.7, 122.4, 1.2), "76": (-2.8, 119.2, 1.5), "81": (-3.2, 130.1, 1.9), "82": (1.6, 127.8, 1.3),
    "91": (-2.5, 140.0, 1.0), "92": (-1.3, 133.2, 0.6), "93": (-7.0, 139.5, 0.5), "94": (-3.9, 136.4, 1.4),
    "95": (-4.1, 138.9, 1.4), "96": (-1.0, 131.5, 0.6),
}


CATEGORY_WEIGHTS = {
    "ROADS": 14, "INFRASTRUCTURE": 8, "WATER": 6, "ELECTRICITY": 5, "HEALTH": 9, "EDUCATION": 8,
    "CIVIL_REGISTRY": 9, "SOCIAL_ASSISTANCE": 10, "ENVIRONMENT": 7, "TRANSPORT": 5, "PUBLIC_ORDER": 4,
    "EMPLOYMENT": 3, "LICENSING": 3, "CIVIL_SERVICE": 3, "DISASTER": 2, "OTHER": 4,
}
S = Status
# Target statuses by the complaint's age (days): the walk may stop earlier when "now" comes first.
STATUS_WEIGHTS: tuple[tuple[float, dict[Status, int]], ...] = (
    (3, {S.SUBMITTED: 45, S.POSTPONED: 5, S.VERIFIED: 20, S.REJECTED: 3, S.DISPOSITIONED: 15,
         S.IN_PROGRESS: 10, S.WITHDRAWN: 2}),
    (30, {S.SUBMITTED: 5, S.POSTPONED: 5, S.VERIFIED: 5, S.REJECTED: 6, S.DISPOSITIONED: 10,
          S.IN_PROGRESS: 30, S.RESOLVED: 22, S.CLOSED: 14, S.WITHDRAWN: 3}),
    (120, {S.SUBMITTED: 1, S.POSTPONED: 3, S.VERIFIED: 2, S.REJECTED: 8, S.DISPOSITIONED: 3,
           S.IN_PROGRESS: 12, S.RESOLVED: 6, S.CLOSED: 58, S.WITHDRAWN: 4, S.ARCHIVED: 3}),
    (1e9, {S.POSTPONED: 2, S.REJECTED: 9, S.DISPOSITIONED: 1, S.IN_PROGRESS: 4, S.RESOLVED: 2,
           S.CLOSED: 70, S.WITHDRAWN: 4, S.ARCHIVED: 8}),
)
TYPES = {ComplaintType.COMPLAINT: 80, ComplaintType.ASPIRATION: 12, ComplaintType.INFORMATION_REQUEST: 8}
PRIVACY = {Privacy.PUBLIC: 75, Privacy.ANONYMOUS: 15, Privacy.CONFIDENTIAL: 10}
CHANNELS = {Channel.WEB: 30, Channel.MOBILE: 30, Channel.SMS: 8, Channel.SOCIAL_MEDIA: 10,
            Channel.MANUAL: 7, Channel.REGIONAL_APP: 15}


class Choice:
    """A weighted choice with its cumulative weights worked out once."""

    def __init__(self, weights: Mapping[Any, float] | Sequence[tuple[Any, float]]) -> None:
        pairs = list(weights.items()) if isinstance(weights, Mapping) else list(weights)
        self.items = [item for item, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def __call__(self, rng: random.Random) -> Any:
        return rng.choices(self.items, cum_weights=self.cumulative)[0]


TYPE_CHOICE, PRIVACY_CHOICE, CHANNEL_CHOICE = Choice(TYPES), Choice(PRIVACY), Choice(CHANNELS)
TARGET_CHOICES = tuple((limit, Choice(weights)) for limit, weights in STATUS_WEIGHTS)
RATING_CHOICE = Choice({1: 8, 2: 8, 3: 17, 4: 35, 5: 32})


class Fill(dict[str, str]):
    """Template values, drawn only for the placeholders a template uses."""

    POOLS = {"street": STREETS, "place": PLACES, "kelurahan": KELURAHAN, "kecamatan": KECAMATAN,
             "month": MONTHS, "facility": FACILITIES}

    def __init__(self, rng: random.Random) -> None:
        super().__init__()
        self.rng = rng

    def __missing__(self, key: str) -> str:
        r = self.rng
        if key == "n":
            return str(r.randint(1, 12))
        if key == "school":
            return r.choice(SCHOOLS).format(n=r.randint(1, 15))
        return r.choice(self.POOLS[key])
