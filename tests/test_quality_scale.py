"""quality_scale.yaml lists every rule, and each rule that code can check holds."""

import ast
import importlib
import json
import re
import string
from pathlib import Path
from typing import Any

import yaml
from homeassistant.helpers.entity import Entity

from custom_components.loqed_web.binary_sensor import BINARY_SENSORS
from custom_components.loqed_web.config_flow import LoqedWebConfigFlow
from custom_components.loqed_web.entity import LoqedEntity
from custom_components.loqed_web.event import ACTIVITY
from custom_components.loqed_web.lock import LOCK
from custom_components.loqed_web.sensor import SENSORS

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / "loqed_web"
# Home Assistant's Integration Quality Scale (developers.home-assistant.io), Bronze to Platinum.
RULES = {
    "bronze": {
        "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow-test-coverage",
        "config-flow", "dependency-transparency", "docs-actions", "docs-high-level-description",
        "docs-installation-instructions", "docs-removal-instructions", "entity-event-setup",
        "entity-unique-id", "has-entity-name", "runtime-data", "test-before-configure",
        "test-before-setup", "unique-config-entry",
    },
    "silver": {
        "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
        "docs-installation-parameters", "entity-unavailable", "integration-owner",
        "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    },
    "gold": {
        "devices", "diagnostics", "discovery-update-info", "discovery", "docs-data-update",
        "docs-examples", "docs-known-limitations", "docs-supported-devices", "docs-supported-functions",
        "docs-troubleshooting", "docs-use-cases", "dynamic-devices", "entity-category",
        "entity-device-class", "entity-disabled-by-default", "entity-translations",
        "exception-translations", "icon-translations", "reconfiguration-flow", "repair-issues",
        "stale-devices",
    },
    "platinum": {"async-dependency", "inject-websession", "strict-typing", "docs-triggers", "docs-conditions"},
}  # fmt: skip
PLATFORMS = ("binary_sensor", "event", "lock", "sensor")
LANGUAGES = ("en", "nl", "de")


def integration_sources() -> dict[str, ast.Module]:
    return {path.name: ast.parse(path.read_text()) for path in INTEGRATION.glob("*.py")}


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_every_rule_is_listed_as_done_or_exempt_with_a_reason() -> None:
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]
    assert set(rules) == set().union(*RULES.values())
    for name, rule in rules.items():
        if isinstance(rule, str):
            assert rule == "done", name
        else:
            assert rule["status"] in ("done", "exempt"), name
            assert rule.get("comment"), f"{name} needs a reason"


def test_runtime_data_with_a_typed_entry() -> None:
    source = (INTEGRATION / "coordinator.py").read_text()
    assert "type LoqedConfigEntry = ConfigEntry[LoqedCoordinator]" in source
    assert "entry.runtime_data = coordinator" in (INTEGRATION / "__init__.py").read_text()


def test_no_hass_data() -> None:
    for name, tree in integration_sources().items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "data":
                assert not (isinstance(node.value, ast.Name) and node.value.id == "hass"), name


def test_parallel_updates_on_every_platform() -> None:
    for platform in PLATFORMS:
        module = importlib.import_module(f"custom_components.loqed_web.{platform}")
        assert isinstance(module.PARALLEL_UPDATES, int), platform


def test_entities_have_entity_names_and_translation_keys() -> None:
    # HA turns _attr_ class attributes into cached properties, so read the source.
    assert "    _attr_has_entity_name = True\n" in (INTEGRATION / "entity.py").read_text()
    for platform in PLATFORMS:
        module = importlib.import_module(f"custom_components.loqed_web.{platform}")
        classes = [
            value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Entity) and value.__module__ == module.__name__
        ]  # fmt: skip
        assert classes, platform
        assert all(issubclass(cls, LoqedEntity) for cls in classes), platform
    strings = json.loads((INTEGRATION / "strings.json").read_text())["entity"]
    for description in (*SENSORS, *BINARY_SENSORS, ACTIVITY):
        if description.translation_key is None:
            # Named by its device class (Battery) in every language by Home Assistant itself.
            assert description.device_class is not None, description.key
            continue
        platform = {"activity": "event"}.get(description.key) or (
            "binary_sensor" if description in BINARY_SENSORS else "sensor"
        )
        assert strings[platform][description.translation_key]["name"], description.key
    assert LOCK.name is None  # the device's main feature takes the device's name


def test_reauth_and_reconfigure_steps_exist() -> None:
    for step in ("reauth", "reauth_confirm", "reconfigure"):
        assert callable(getattr(LoqedWebConfigFlow, f"async_step_{step}", None)), step


def test_translations_have_exactly_the_keys_of_strings_json_and_the_same_placeholders() -> None:
    source = flatten(json.loads((INTEGRATION / "strings.json").read_text()))
    for language in LANGUAGES:
        translated = flatten(json.loads((INTEGRATION / "translations" / f"{language}.json").read_text()))
        assert set(translated) == set(source), language
        for key, text in source.items():
            fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
            assert {name for _, name, _, _ in string.Formatter().parse(translated[key]) if name} == fields, (
                language,
                key,
            )


def test_every_raised_home_assistant_error_is_translated() -> None:
    strings = json.loads((INTEGRATION / "strings.json").read_text())
    raised = 0
    for name, tree in integration_sources().items():
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            called = node.exc.func
            kind = called.id if isinstance(called, ast.Name) else getattr(called, "attr", "")
            if not re.fullmatch(r"(HomeAssistantError|ServiceValidationError|ConfigEntry\w+)", kind):
                continue
            keywords = {keyword.arg: keyword.value for keyword in node.exc.keywords}
            assert "translation_domain" in keywords, (name, node.lineno)
            assert "translation_key" in keywords, (name, node.lineno)
            key = keywords["translation_key"]
            if isinstance(key, ast.Constant):
                assert key.value in strings["exceptions"], (name, key.value)
            raised += 1
    assert raised >= 2
    from custom_components.loqed_web.coordinator import _COMMAND_ERRORS  # noqa: PLC0415

    assert {key for _, key in _COMMAND_ERRORS} <= set(strings["exceptions"])
