"""The REST app's own words: statuses, categories, dates, and the yes/no and
privacy words its ``flags`` and ``privacy`` habits choose between."""

from __future__ import annotations

from typing import Any

from hub.simulators.habits import Flags

STATUS = {"new": "Belum Diproses", "verified": "Diverifikasi", "in_progress": "Diproses", "done": "Selesai",
          "rejected": "Ditolak", "withdrawn": "Dicabut"}
STAGE_OF_STATUS = {word.casefold(): stage for stage, word in STATUS.items()}
CATEGORY = {"road": "Jalan Rusak", "waste": "Sampah", "water": "Air Bersih", "light": "Penerangan Jalan",
            "health": "Kesehatan", "school": "Pendidikan", "idcard": "Administrasi Kependudukan",
            "welfare": "Bantuan Sosial", "order": "Ketertiban Umum", "other": "Lainnya"}
CATEGORY_KEY = {word.casefold(): key for key, word in CATEGORY.items()}
DATE_FORMAT = "%d/%m/%Y %H:%M:%S"

# (yes, no) in each flag vocabulary; "boolean" is JSON true/false, the others are strings.
FLAG_WORDS: dict[str, tuple[Any, Any]] = {
    "boolean": (True, False),
    "true-false": ("true", "false"),
    "ya-tidak": ("ya", "tidak"),
    "1-0": ("1", "0"),
}
# The privacy word (sifat) of a confidential complaint and of an ordinary one.
CONFIDENTIAL, ORDINARY = "rahasia", "biasa"


def flag(vocabulary: Flags, value: bool) -> Any:
    yes, no = FLAG_WORDS[vocabulary]
    return yes if value else no


def read_flag(vocabulary: Flags, value: Any, name: str) -> bool:
    """A yes/no the app received, in its own words; absent or null is no."""
    if value is None:
        return False
    yes, no = FLAG_WORDS[vocabulary]
    if vocabulary == "boolean":
        if isinstance(value, bool):
            return value
    elif isinstance(value, str) or (vocabulary == "1-0" and isinstance(value, int) and not isinstance(value, bool)):
        word = str(value).strip().casefold()
        if word in (yes, no):
            return word == yes
    raise ValueError(f"{name} harus {_json(yes)} atau {_json(no)}, bukan {_json(value)}")


def read_privacy_word(value: Any) -> bool:
    """Whether ``sifat`` says confidential; absent or null is ordinary."""
    if value is None:
        return False
    if isinstance(value, str) and value.strip().casefold() in (CONFIDENTIAL, ORDINARY):
        return value.strip().casefold() == CONFIDENTIAL
    raise ValueError(f"sifat harus {CONFIDENTIAL!r} atau {ORDINARY!r}, bukan {_json(value)}")


def status_stage(word: Any) -> str:
    stage = STAGE_OF_STATUS.get(str(word).strip().casefold())
    if stage is None:
        raise ValueError(f"status {word!r} tidak dikenal ({', '.join(STATUS.values())})")
    return stage


def _json(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return f'"{value}"' if isinstance(value, str) else str(value)
