"""A region's words for yes/no and for privacy, read and written by declared vocabulary.

Regional apps write a yes/no flag (``pelapor.anonim``, ``rahasia``) as JSON
``true``/``false``, as the strings ``"true"``/``"false"``, ``"ya"``/``"tidak"``
or ``"1"``/``"0"``; a privacy field may hold a word instead (``sifat:
"rahasia"`` or ``"biasa"``). Truthiness is never used: ``"false"`` is a
non-empty string, and reading it as *yes* would hide a reporter who never
asked to be anonymous. A word outside the vocabulary rejects the record with
the reason, so a region that changes its words is noticed, not guessed.

``mapping.flag_words`` declares a region's own pair (``{yes = ["ya"], no =
["tidak"]}``); without it, :data:`COMMON_YES` / :data:`COMMON_NO` are read and
JSON ``true``/``false`` are written. The first word of each list is the one
written in push bodies.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

Word = str | bool | int

COMMON_YES: tuple[Word, ...] = (True, "true", "ya", "y", "yes", "1", 1)
COMMON_NO: tuple[Word, ...] = (False, "false", "tidak", "t", "no", "n", "0", 0, "")


class FlagWords(BaseModel):
    """A region's words for yes and no; the first of each is the one it is sent."""

    model_config = ConfigDict(extra="forbid")

    yes: list[Word] = Field(min_length=1)
    no: list[Word] = Field(min_length=1)

    @model_validator(mode="after")
    def _disjoint(self) -> FlagWords:
        both = {_key(word) for word in self.yes} & {_key(word) for word in self.no}
        if both:
            raise ValueError(f"words {sorted(map(str, both))} are in both yes and no")
        return self


class PrivacyWords(BaseModel):
    """Words a privacy field (``sifat``) holds for a confidential (rahasia) and an ordinary complaint."""

    model_config = ConfigDict(extra="forbid")

    confidential: list[str] = Field(default_factory=lambda: ["rahasia"], min_length=1)
    ordinary: list[str] = Field(default_factory=lambda: ["biasa", "umum", "publik"], min_length=1)


class UnknownWord(ValueError):
    """A value that is not one of the region's declared words."""


def _key(word: Any) -> Any:
    """Comparable form: booleans stay booleans, numbers and strings become folded text."""
    if isinstance(word, bool):
        return word
    return str(word).strip().casefold()


class Vocabulary:
    """Reads and writes a region's yes/no and privacy words."""

    def __init__(self, flags: FlagWords | None, privacy: PrivacyWords) -> None:
        self.declared = flags is not None
        yes = tuple(flags.yes) if flags else COMMON_YES
        no = tuple(flags.no) if flags else COMMON_NO
        self._yes, self._no = {_key(w) for w in yes}, {_key(w) for w in no}
        self.yes_word, self.no_word = yes[0], no[0]
        self._confidential = {w.strip().casefold() for w in privacy.confidential}
        self._ordinary = {w.strip().casefold() for w in privacy.ordinary}
        self.confidential_word, self.ordinary_word = privacy.confidential[0], privacy.ordinary[0]
        self._shown = ", ".join(_shown(w) for w in yes) + " / " + ", ".join(_shown(w) for w in no)

    def flag(self, value: Any) -> bool:
        """Yes or no; absent (None) is no. :class:`UnknownWord` for anything else."""
        if value is None:
            return False
        if isinstance(value, bool):
            key: Any = value
            if key in self._yes or key in self._no:
                return key in self._yes
        elif isinstance(value, str | int | float):
            key = _key(value)
            if key in self._yes or key in self._no:
                return key in self._yes
        raise UnknownWord(f"{_shown(value)}, which is not one of the region's yes/no words ({self._shown})")

    def confidential(self, value: Any) -> bool:
        """Whether a privacy field marks the complaint confidential: a privacy word or a yes/no flag."""
        if isinstance(value, str) and value.strip().casefold() in self._confidential:
            return True
        if isinstance(value, str) and value.strip().casefold() in self._ordinary:
            return False
        try:
            return self.flag(value)
        except UnknownWord:
            words = ", ".join(sorted(self._confidential | self._ordinary))
            raise UnknownWord(f"{_shown(value)}, which is neither a privacy word ({words}) nor a yes/no word ({self._shown})") from None

    def word(self, value: bool) -> Word:
        """The region's word for yes or no."""
        return self.yes_word if value else self.no_word

    def privacy_word(self, confidential: bool) -> str:
        return self.confidential_word if confidential else self.ordinary_word


def _shown(word: Any) -> str:
    if isinstance(word, bool):
        return "true" if word else "false"
    return f'"{word}"' if isinstance(word, str) else str(word)
