"""The README a user reads in five minutes: short, installation first, every claim it can check true."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINES = README.splitlines()


def test_it_is_short_and_installation_comes_first() -> None:
    assert len(LINES) <= 350
    headings = [line for line in LINES if line.startswith("## ")]
    assert headings[:4] == ["## Installation", "## Set up", "## Entities", "## Automations"]
    assert LINES.index("## Installation") < 60


def test_the_buttons_lead_to_hacs_and_to_the_config_flow() -> None:
    assert (
        "https://my.home-assistant.io/redirect/hacs_repository/?owner=loqed-web&repository=ha-loqed-web&category=integration"
        in README
    )
    assert "https://my.home-assistant.io/redirect/config_flow_start?domain=loqed_web" in README
    assert "https://github.com/loqed-web/ha-loqed-web" in README  # the custom repository, for HACS by hand


def test_every_picture_and_file_it_links_exists() -> None:
    targets = re.findall(r"\]\(((?!https?://|#)[^)\s]+)\)", README)
    assert targets
    for target in targets:
        assert (ROOT / target).exists(), target


def test_every_blueprint_it_offers_for_import_is_shipped() -> None:
    shipped = {path.name for path in (ROOT / "blueprints" / "automation" / "loqed_web").glob("*.yaml")}
    offered = set(re.findall(r"blueprints%2Fautomation%2Floqed_web%2F([a-z_]+\.yaml)", README))
    assert offered == shipped


def test_every_automation_example_triggers_on_real_movements_only() -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", README, re.S)
    automations = [automation for block in blocks for automation in yaml.safe_load(block).get("automation", [])]
    assert len(automations) >= 2
    for automation in automations:
        for trigger in automation["triggers"]:
            if trigger["trigger"] == "state":
                assert trigger["not_from"] == "unavailable", automation["alias"]
                assert trigger["not_to"] == ["unavailable", "unknown"], automation["alias"]
