"""The shipped blueprints are valid for Home Assistant's blueprint loader (behaviour: tests/ha, tests/e2e)."""

from pathlib import Path

import pytest
from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.util.yaml import load_yaml_dict

BLUEPRINTS = Path(__file__).resolve().parent.parent / "blueprints/automation/loqed_web"


@pytest.mark.parametrize(
    ("name", "inputs", "entity_inputs"),
    [
        ("someone_else_opened.yaml", {"activity", "my_names", "notify_action"}, {"activity": "event"}),
        ("lock_again_after.yaml", {"lock", "minutes", "door_sensor"}, {"lock": "lock"}),
        (
            "battery_or_offline.yaml",
            {"battery", "online", "threshold", "offline_minutes", "notify_action"},
            {"battery": "sensor", "online": "binary_sensor"},
        ),
    ],
)
def test_the_blueprint_loads_and_asks_for_our_entities(
    name: str, inputs: set[str], entity_inputs: dict[str, str]
) -> None:
    blueprint = Blueprint(
        load_yaml_dict(str(BLUEPRINTS / name)), expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    assert set(blueprint.inputs) == inputs
    for entity_input, domain in entity_inputs.items():
        (entity_filter,) = blueprint.inputs[entity_input]["selector"]["entity"]["filter"]
        assert entity_filter["integration"] == "loqed_web"
        assert entity_filter["domain"] in (domain, [domain])  # normalised to a list by newer releases


def test_every_shipped_blueprint_is_tested() -> None:
    assert {path.name for path in BLUEPRINTS.glob("*.yaml")} == {
        "someone_else_opened.yaml",
        "lock_again_after.yaml",
        "battery_or_offline.yaml",
    }
