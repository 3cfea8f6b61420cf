"""The REST simulator's words for yes/no and for confidential complaints, over real HTTP."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from hub.simulators import create_app
from hub.simulators.testing import running_app
from tests.simulators.rest_habits import KEY, rest, walk

# (yes, no) as served, JSON types included
WORDS: dict[str, tuple[Any, Any]] = {"boolean": (True, False), "true-false": ("true", "false"), "ya-tidak": ("ya", "tidak"),
                                     "1-0": ("1", "0")}
TODAYS_FIELDS = ["id", "no_tiket", "kode_lapor", "judul", "isi_laporan", "kategori", "status", "pelapor", "lokasi",
                 "tanggal_dibuat", "tanggal_diperbarui", "zona_waktu", "tanggapan"]


def served(flags: str = "boolean", privacy: str = "none", complaints: int = 60) -> list[dict[str, Any]]:
    with running_app(create_app(rest(flags=flags, privacy=privacy, complaints=complaints))) as base:
        with httpx.Client(base_url=base, headers=KEY) as client:
            return walk(client, "page", size=100)


def test_by_default_records_have_todays_fields_and_json_booleans() -> None:
    records = served()
    assert all(list(r) == TODAYS_FIELDS for r in records)
    assert {type(r["pelapor"]["anonim"]) for r in records} == {bool}


@pytest.mark.parametrize("flags", ["true-false", "ya-tidak", "1-0"])
def test_the_anonymous_flag_is_served_in_the_declared_words(flags: str) -> None:
    plain, worded = served(), served(flags)
    yes, no = WORDS[flags]
    assert {r["pelapor"]["anonim"] for r in worded} == {yes, no}  # some anonymous, some not, nothing else
    assert [r["pelapor"]["anonim"] == yes for r in worded] == [r["pelapor"]["anonim"] for r in plain]
    assert [{**r, "pelapor": {**r["pelapor"], "anonim": None}} for r in worded] == \
        [{**r, "pelapor": {**r["pelapor"], "anonim": None}} for r in plain]  # the words are the only difference


def test_confidential_complaints_are_marked_by_a_privacy_word_or_flag() -> None:
    hidden, word, flag = served(), served(privacy="word"), served(flags="ya-tidak", privacy="flag")
    assert all("sifat" not in r and "rahasia" not in r for r in hidden)
    assert {r["sifat"] for r in word} == {"rahasia", "biasa"}
    assert {r["rahasia"] for r in flag} == {"ya", "tidak"}
    confidential = [r["id"] for r in word if r["sifat"] == "rahasia"]
    assert confidential == [r["id"] for r in flag if r["rahasia"] == "ya"]
    assert 1 <= len(confidential) <= 15  # about one in ten of 60
    anonymous = [r["id"] for r in word if r["pelapor"]["anonim"]]
    assert anonymous and set(anonymous) != set(confidential)
    assert list(word[0]).index("sifat") == list(word[0]).index("kategori") + 1


@pytest.mark.parametrize(("flags", "privacy", "yes", "no", "refused"), [
    ("boolean", "word", True, False, ["false", "ya", 1]),
    ("true-false", "flag", "true", "false", [True, "ya", "1"]),
    ("ya-tidak", "flag", "ya", "tidak", [True, "yes", "true"]),
    ("1-0", "flag", "1", "0", [True, "ya", "2"]),
])
def test_submissions_are_read_in_the_apps_own_words(flags: str, privacy: str, yes: Any, no: Any, refused: list[Any]) -> None:
    with running_app(create_app(rest(flags=flags, privacy=privacy, complaints=2))) as base, \
            httpx.Client(base_url=base, headers=KEY) as client:
        mark = ("sifat", "rahasia") if privacy == "word" else ("rahasia", yes)
        anonymous = client.post("/api/v1/laporan", json={"judul": "Pungutan liar", "isi_laporan": "Di SDN 3.",
                                                         "pelapor": {"nama": "Budi", "anonim": yes}, mark[0]: mark[1]})
        assert anonymous.status_code == 201, anonymous.text
        assert anonymous.json()["pelapor"]["anonim"] == yes and anonymous.json()[mark[0]] == mark[1]
        named = client.post("/api/v1/laporan", json={"judul": "Parkir liar", "isi_laporan": "Setiap sore.",
                                                     "pelapor": {"nama": "Sari", "anonim": no}})
        assert named.json()["pelapor"]["anonim"] == no
        assert named.json()[mark[0]] == ("biasa" if privacy == "word" else no)  # absent: an ordinary complaint
        for word in refused:
            answer = client.post("/api/v1/laporan", json={"judul": "x", "isi_laporan": "y", "pelapor": {"anonim": word}})
            assert answer.status_code == 422, word
            assert "pelapor.anonim" in answer.json()["error"]
        bad_mark = client.post("/api/v1/laporan", json={"judul": "x", "isi_laporan": "y", mark[0]: "terbuka"})
        assert bad_mark.status_code == 422 and mark[0] in bad_mark.json()["error"]
        assert client.get("/api/v1/laporan").json()["meta"]["total"] == 4  # nothing refused was written


def test_the_1_0_vocabulary_also_takes_numbers_on_writes() -> None:
    with running_app(create_app(rest(flags="1-0", complaints=0))) as base, httpx.Client(base_url=base, headers=KEY) as client:
        created = client.post("/api/v1/laporan", json={"judul": "a", "isi_laporan": "b", "pelapor": {"anonim": 1}})
        assert created.status_code == 201 and created.json()["pelapor"]["anonim"] == "1"
