"""The shipped blueprint is valid for Home Assistant's blueprint loader."""

from pathlib import Path

from homeassistant.components.automation.config import AUTOMATION_BLUEPRINT_SCHEMA
from homeassistant.components.blueprint.models import Blueprint
from homeassistant.util.yaml import load_yaml_dict

BLUEPRINT = Path(__file__).resolve().parent.parent / "blueprints/automation/loqed_web/someone_else_opened.yaml"


def test_the_blueprint_loads_and_asks_for_the_activity_entity() -> None:
    blueprint = Blueprint(
        load_yaml_dict(str(BLUEPRINT)), expected_domain="automation", schema=AUTOMATION_BLUEPRINT_SCHEMA
    )
    assert set(blueprint.inputs) == {"activity", "my_names", "notify_action"}
    (entity_filter,) = blueprint.inputs["activity"]["selector"]["entity"]["filter"]
    assert entity_filter["integration"] == "loqed_web"
    assert entity_filter["domain"] in ("event", ["event"])  # normalised to a list by newer releases
