"""quality_scale.yaml lists every rule, and each rule that code can check holds."""

import importlib
import json
import string
from pathlib import Path
from typing import Any

import yaml

from custom_components.loqed_web.config_flow import LoqedWebConfigFlow
from custom_components.loqed_web.errors import TRANSLATION_KEYS

INTEGRATION = Path(__file__).resolve().parent.parent / "custom_components" / "loqed_web"
# Home Assistant's Integration Quality Scale (developers.home-assistant.io), Bronze to Platinum.
RULES = {
    "bronze": {
        "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow-test-coverage",
        "config-flow", "dependency-transparency", "docs-actions", "docs-high-level-description",
        "docs-installation-instructions", "docs-removal-instructions", "entity-event-setup",
        "entity-unique-id", "has-entity-name", "runtime-data", "test-before-configure",
        "test-before-setup", "unique-config-entry",
        "docs-triggers", "docs-conditions",  # Bronze since 2026-07
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
    "platinum": {"async-dependency", "inject-websession", "strict-typing"},
}  # fmt: skip
PLATFORMS = ("binary_sensor", "button", "event", "lock", "sensor")
LANGUAGES = ("en", "nl", "de")


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            flat |= flatten(value, f"{prefix}{key}.")
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def test_every_rule_is_listed_as_done_exempt_or_todo_with_a_reason() -> None:
    rules = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]
    assert set(rules) == set().union(*RULES.values())
    for name, rule in rules.items():
        if isinstance(rule, str):
            assert rule == "done", name
        else:
            assert rule["status"] in ("done", "exempt", "todo"), name
            assert rule.get("comment"), f"{name} needs a reason"
    # Claims that code can check: the client is not on PyPI, so this is not done.
    assert rules["dependency-transparency"]["status"] == "todo"


def test_the_repairs_quality_scale_names_are_the_repairs_there_are() -> None:
    from custom_components.loqed_web.health import ACCOUNT_REPAIRS, LOCK_REPAIRS  # noqa: PLC0415

    comment = yaml.safe_load((INTEGRATION / "quality_scale.yaml").read_text())["rules"]["repair-issues"]["comment"]
    in_words = {5: "Five", 6: "Six", 7: "Seven"}
    assert comment.startswith(f"{in_words[len(LOCK_REPAIRS) + len(ACCOUNT_REPAIRS)]} repairs")


def test_parallel_updates_on_every_platform() -> None:
    for platform in PLATFORMS:
        module = importlib.import_module(f"custom_components.loqed_web.{platform}")
        assert isinstance(module.PARALLEL_UPDATES, int), platform


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


def test_every_client_error_has_a_message_wherever_it_can_show() -> None:
    strings = json.loads((INTEGRATION / "strings.json").read_text())
    assert set(TRANSLATION_KEYS) <= set(strings["exceptions"])  # commands, the status button, setup
    assert set(TRANSLATION_KEYS) <= set(strings["config"]["error"])  # the status check in the flows
