"""config.yaml says what an entry holds, in the form hassfest checks (a rule newer than 2026.10)."""

from pathlib import Path
from typing import Any

import pytest
import voluptuous as vol
import yaml
from homeassistant.helpers import selector

from custom_components.loqed_web.config_flow import LoqedWebConfigFlow

CONFIG_YAML = Path(__file__).resolve().parent.parent / "custom_components" / "loqed_web" / "config.yaml"

# hassfest's schema for config.yaml, as current Home Assistant core's script/hassfest has it.
_FIELD = vol.Schema(
    {
        vol.Optional("required"): bool,
        vol.Optional("default"): object,
        vol.Optional("example"): object,
        vol.Required("selector"): selector.validate_selector,
    }
)
_SECTION = vol.Schema({vol.Required("fields"): vol.Schema({str: _FIELD})})
_VERSION = vol.Schema(
    {
        vol.Required("major"): vol.All(vol.Coerce(int), vol.Range(min=1)),
        vol.Required("minor"): vol.All(vol.Coerce(int), vol.Range(min=1)),
    }
)
_VERSIONED = vol.Schema(
    {vol.Required("version"): _VERSION, vol.Required("data"): _SECTION, vol.Required("options"): _SECTION}
)
ROOT_SCHEMA = vol.Schema(
    {
        vol.Required("config_entry"): vol.Schema(
            {
                vol.Required("versions"): [_VERSIONED],
                vol.Optional("subentries", default={}): {str: vol.Schema({vol.Required("versions"): [_VERSIONED]})},
            }
        )
    }
)


def current_version() -> dict[str, Any]:
    """Return the newest version block of config.yaml, validated as hassfest validates it."""
    versions = ROOT_SCHEMA(yaml.safe_load(CONFIG_YAML.read_text()))["config_entry"]["versions"]
    return max(versions, key=lambda block: (block["version"]["major"], block["version"]["minor"]))  # type: ignore[no-any-return]  # test data


def current_subentry_version(kind: str) -> dict[str, Any]:
    """Return the newest version block of a subentry type in config.yaml."""
    versions = ROOT_SCHEMA(yaml.safe_load(CONFIG_YAML.read_text()))["config_entry"]["subentries"][kind]["versions"]
    return max(versions, key=lambda block: (block["version"]["major"], block["version"]["minor"]))  # type: ignore[no-any-return]  # test data


def assert_declared(section: str, stored: dict[str, Any], subentry: str | None = None) -> None:
    """Every key an entry (or a subentry of type `subentry`) stores is declared; every required one is stored."""
    block = current_version() if subentry is None else current_subentry_version(subentry)
    fields: dict[str, dict[str, Any]] = block[section]["fields"]
    assert set(stored) <= set(fields), f"undeclared {section} fields: {set(stored) - set(fields)}"
    required = {name for name, field in fields.items() if field.get("required")}
    assert required <= set(stored), f"required {section} fields missing: {required - set(stored)}"


def test_config_yaml_passes_hassfests_schema_and_names_the_flows_version() -> None:
    version = current_version()["version"]
    assert (version["major"], version["minor"]) == (LoqedWebConfigFlow.VERSION, LoqedWebConfigFlow.MINOR_VERSION)


def test_a_wrong_selector_is_refused_by_the_schema() -> None:
    """The check above can fail: hassfest's schema refuses a selector Home Assistant lacks."""
    with pytest.raises(vol.Invalid):
        _FIELD({"selector": {"no_such_selector": {}}})
