"""The Open311 simulator's words: services, statuses and who handles what.

Stages (the simulators' neutral lifecycle) map onto GeoReport's ``open`` /
``closed``, onto the app's finer ``local_status``, and, for the mySociety
``servicerequestupdates`` extension, onto its extended statuses and an
``external_status_code`` (the back office's own code for the stage).
"""

from __future__ import annotations

LOCAL_STATUS = {"new": "baru", "verified": "diverifikasi", "in_progress": "dikerjakan", "done": "selesai",
                "rejected": "ditolak", "withdrawn": "dicabut"}
OPEN = {"new", "verified", "in_progress"}
SERVICES = {"road": ("JLN", "Jalan dan Jembatan"), "waste": ("SMP", "Sampah dan Kebersihan"),
            "water": ("AIR", "Air Bersih dan Drainase"), "light": ("PJU", "Penerangan Jalan Umum"),
            "health": ("KES", "Layanan Kesehatan"), "school": ("PDK", "Pendidikan"),
            "idcard": ("DUK", "Kependudukan dan Catatan Sipil"), "welfare": ("SOS", "Bantuan Sosial"),
            "order": ("TIB", "Ketertiban Umum"), "other": ("LAIN", "Lain-lain")}
KEY_OF_CODE = {code: key for key, (code, _) in SERVICES.items()}

# The regional agency (OPD) that handles each service once a request is verified.
AGENCY = {"road": "Dinas Pekerjaan Umum dan Penataan Ruang", "waste": "Dinas Lingkungan Hidup",
          "water": "Perumda Air Minum", "light": "Dinas Perhubungan", "health": "Dinas Kesehatan",
          "school": "Dinas Pendidikan dan Kebudayaan", "idcard": "Dinas Kependudukan dan Pencatatan Sipil",
          "welfare": "Dinas Sosial", "order": "Satuan Polisi Pamong Praja", "other": "Sekretariat Daerah"}
# Days the service promises to act within: the basis of service_notice and expected_datetime.
EXPECTED_DAYS = {"road": 14, "waste": 3, "water": 5, "light": 7, "health": 5, "school": 14, "idcard": 14,
                 "welfare": 30, "order": 5, "other": 14}


def service_notice(category: str) -> str:
    return f"Laporan ditindaklanjuti paling lambat {EXPECTED_DAYS[category]} hari setelah diterima."


# mySociety's extended statuses, as a client POSTs them (upper case); served in lower case.
EXTENDED_STATUSES = ("OPEN", "CLOSED", "FIXED", "IN_PROGRESS", "ACTION_SCHEDULED", "INVESTIGATING", "DUPLICATE",
                     "NOT_COUNCILS_RESPONSIBILITY", "NO_FURTHER_ACTION", "INTERNAL_REFERRAL", "REOPEN", "FOR_TRIAGE")
# The stage a posted status moves a request to; None: OPEN and CLOSED keep a stage already open or closed.
STAGE_OF_POSTED: dict[str, str | None] = {
    "OPEN": None, "CLOSED": None, "REOPEN": "in_progress", "FOR_TRIAGE": "new", "INVESTIGATING": "verified",
    "INTERNAL_REFERRAL": "verified", "IN_PROGRESS": "in_progress", "ACTION_SCHEDULED": "in_progress", "FIXED": "done",
    "DUPLICATE": "rejected", "NOT_COUNCILS_RESPONSIBILITY": "rejected", "NO_FURTHER_ACTION": "rejected",
}
EXTERNAL_STATUS_CODE = {"new": "ADU-10", "verified": "ADU-20", "in_progress": "ADU-30", "done": "ADU-90",
                        "rejected": "ADU-91", "withdrawn": "ADU-92"}


def stage_after_post(status: str, current: str) -> str:
    """The stage a request is in after a client posts ``status`` (upper case) to it."""
    stage = STAGE_OF_POSTED[status]
    if stage is not None:
        return stage
    if status == "OPEN":
        return current if current in OPEN else "in_progress"
    return current if current not in OPEN else "done"


def extended_status(stage: str, update_id: int) -> str:
    """The extended status a back office reports for an update it made itself."""
    if stage == "in_progress":
        return "action_scheduled" if update_id % 3 == 0 else "in_progress"
    return {"new": "open", "verified": "investigating", "done": "fixed", "rejected": "not_councils_responsibility",
            "withdrawn": "closed"}[stage]
