"""The connector contract (:mod:`hub.connectors.contract`) for every built-in type,
each against its simulator; REST in several of its apps' habits."""

from __future__ import annotations

import pytest

from hub.connectors.contract import ConnectorContract, ContractHarness
from hub.simulators.habits import RestHabits
from tests.connectors.harnesses import SimulatorHarness

HARNESSES = {
    "rest": lambda: SimulatorHarness("rest"),
    "rest-cursor-newest-bearer": lambda: SimulatorHarness("rest", RestHabits(paging="cursor", order="newest", auth="bearer")),
    "rest-link-basic-aduan": lambda: SimulatorHarness("rest", RestHabits(paging="link", auth="basic", dialect="aduan",
                                                                          flags="ya-tidak")),
    "rest-offset-newest-query": lambda: SimulatorHarness("rest", RestHabits(paging="offset", order="newest", auth="query")),
    "open311": lambda: SimulatorHarness("open311"),
    "csv": lambda: SimulatorHarness("csv"),
}


class TestBuiltInConnectors(ConnectorContract):
    @pytest.fixture(params=list(HARNESSES))
    def contract_harness(self, request: pytest.FixtureRequest) -> ContractHarness:
        return HARNESSES[request.param]()
