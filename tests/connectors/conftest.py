from __future__ import annotations

import pytest

from tests.connectors.simulated import SECRETS


@pytest.fixture(autouse=True)
def region_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    """The credentials the simulated regions' entries name, in the environment as in production."""
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
