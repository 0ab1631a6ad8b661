"""Scenario files (kind: scenario): read by the scenario player's schema (issue 6).

Until the player lands, a scenario file is checked for its header only and otherwise ignored.
"""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from studyaws.content.schema import Reader


@dataclass(frozen=True, slots=True)
class ScenarioStub:
    id: str


def read_scenario(reader: Reader, root: yaml.Node) -> ScenarioStub | None:
    del reader, root
    return None
