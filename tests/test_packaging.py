"""The manifest, hacs.json and the icon follow what HACS and hassfest expect."""

import ast
import json
import os
from pathlib import Path

import pytest
from awesomeversion import AwesomeVersion
from homeassistant.const import __version__ as ha_version
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
INTEGRATION = ROOT / "custom_components" / "loqed_web"
CLIENT = INTEGRATION / "aioloqedweb"


def load(path: Path) -> dict[str, object]:
    return json.loads(path.read_text())  # type: ignore[no-any-return]  # test data


def test_manifest_keys_values_and_order() -> None:
    manifest = load(INTEGRATION / "manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:]), "hassfest wants domain, name, then the rest sorted"
    assert set(keys) == {
        "domain", "name", "after_dependencies", "codeowners", "config_flow", "dependencies",
        "documentation", "integration_type", "iot_class", "issue_tracker", "requirements", "version",
    }  # fmt: skip
    assert manifest["domain"] == "loqed_web"
    assert manifest["after_dependencies"] == ["cloud"]
    assert manifest["dependencies"] == ["webhook"]
    assert manifest["config_flow"] is True
    assert manifest["integration_type"] == "hub"  # an account entry holds several locks
    assert manifest["iot_class"] == "cloud_push"
    assert manifest["requirements"] == []
    assert AwesomeVersion(str(manifest["version"])).valid


def test_hacs_json_has_only_known_keys_and_a_floor_we_test() -> None:
    hacs = load(ROOT / "hacs.json")
    assert set(hacs) == {"name", "homeassistant", "zip_release", "filename"}  # the zip: tests/test_release.py
    floor = AwesomeVersion(str(hacs["homeassistant"]))
    assert (floor.section(0), floor.section(1)) == (2026, 3)
    assert AwesomeVersion(ha_version) >= floor
    if os.environ.get("LOQED_WEB_FLOOR_RUN"):
        assert ha_version == hacs["homeassistant"], "the floor run must test the declared floor"


@pytest.mark.parametrize(
    ("name", "width", "height"),
    [("icon.png", 256, 256), ("icon@2x.png", 512, 512), ("logo.png", 556, 128), ("logo@2x.png", 1108, 256)],
)
def test_brand_images_are_sized_trimmed_and_interlaced(name: str, width: int, height: int) -> None:
    """What Home Assistant's brand images ask for: PNG, the size (a logo is landscape with its
    shortest side 128-256 px, twice that at @2x), no margin, interlaced."""
    with Image.open(INTEGRATION / "brand" / name) as image:
        assert image.format == "PNG"
        assert image.size == (width, height)
        assert image.mode == "RGBA"
        assert image.getbbox() == (0, 0, width, height), "trimmed: the image reaches every edge"
        assert image.info.get("interlace") == 1


def test_hacs_repository_rules_that_can_be_checked_offline() -> None:
    """HACS's validation: a licence, a README, one integration under custom_components."""
    licence = (ROOT / "LICENSE").read_text().split()
    assert licence[:4] == ["Apache", "License", "Version", "2.0,"]  # OSI-approved, as HA core uses
    assert (ROOT / "README.md").stat().st_size > 0
    assert [path.name for path in (ROOT / "custom_components").iterdir() if path.is_dir()] == ["loqed_web"]
    assert (INTEGRATION / "manifest.json").exists()


def test_translations_and_icons_follow_hassfest() -> None:
    strings = load(INTEGRATION / "strings.json")
    assert load(INTEGRATION / "translations" / "en.json") == strings, "en.json is strings.json"
    assert set(strings) <= {
        "config",
        "config_subentries",
        "options",
        "entity",
        "exceptions",
        "issues",
        "services",
        "selector",
    }
    icons = load(INTEGRATION / "icons.json")
    entity_strings: dict[str, dict[str, object]] = strings["entity"]  # type: ignore[assignment]  # test data
    for platform, keys in icons["entity"].items():  # type: ignore[attr-defined]  # test data
        for key, icon in keys.items():
            assert key in entity_strings[platform], (platform, key)
            assert str(icon["default"]).startswith("mdi:"), (platform, key)
    assert not (INTEGRATION / "services.yaml").exists()  # no actions of its own, so no services file


def test_client_package_imports_nothing_from_home_assistant() -> None:
    for source in CLIENT.glob("*.py"):
        tree = ast.parse(source.read_text())
        for node in ast.walk(tree):
            names = [alias.name for alias in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
                assert node.level in (0, 1), f"{source.name} reaches outside its package"
            assert not any(name.split(".")[0] == "homeassistant" for name in names), source.name
    assert (CLIENT / "py.typed").exists()
