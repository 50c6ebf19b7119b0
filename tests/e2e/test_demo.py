"""The demo (scripts/develop) keeps what its user makes: configuration, automations, the locks' state."""

from pathlib import Path

from harness import HomeAssistantProcess
from harness.hass import CORE_CONFIGURATION, KEPT_CONFIGURATION

PORT = 18999  # nothing listens: these tests only write files
PACKAGE_SETTINGS = "notify:\n  - platform: group\n    services:\n      - action: persistent_notification\n"


def kept(config_dir: Path) -> HomeAssistantProcess:
    return HomeAssistantProcess(config_dir, PORT, "", extra_config=PACKAGE_SETTINGS, keep_configuration=True)


def test_the_configuration_is_written_once_and_the_harness_settings_every_time(tmp_path: Path) -> None:
    hass = kept(tmp_path)
    hass.write_config()
    configuration = tmp_path / "configuration.yaml"
    assert configuration.read_text() == KEPT_CONFIGURATION.format(
        core=CORE_CONFIGURATION.format(url=f"http://127.0.0.1:{PORT}")
    )
    assert "  packages: !include_dir_named packages\n" in configuration.read_text()
    assert {name: (tmp_path / name).read_text() for name in ("automations.yaml", "scripts.yaml", "scenes.yaml")} == {
        "automations.yaml": "[]",
        "scripts.yaml": "",
        "scenes.yaml": "",
    }
    configuration.write_text(configuration.read_text() + "input_boolean:\n  mine:\n")
    (tmp_path / "automations.yaml").write_text("- id: mine\n")
    (tmp_path / "packages" / "harness.yaml").write_text("changed by hand\n")
    hass.write_config()
    assert configuration.read_text().endswith("input_boolean:\n  mine:\n")
    assert (tmp_path / "automations.yaml").read_text() == "- id: mine\n"
    package = (tmp_path / "packages" / "harness.yaml").read_text()
    assert package.endswith(f"custom_components.loqed_web: debug\n{PACKAGE_SETTINGS}")


def test_a_configuration_that_an_older_harness_rewrote_at_every_start_is_replaced(tmp_path: Path) -> None:
    HomeAssistantProcess(tmp_path, PORT, "").write_config()  # what the demo's harness wrote before
    kept(tmp_path).write_config()
    assert "automation: !include automations.yaml\n" in (tmp_path / "configuration.yaml").read_text()


def test_without_keep_configuration_every_start_writes_it_anew(tmp_path: Path) -> None:
    hass = HomeAssistantProcess(tmp_path, PORT, "", extra_config=PACKAGE_SETTINGS)
    hass.write_config()
    first = (tmp_path / "configuration.yaml").read_text()
    assert first.startswith(CORE_CONFIGURATION.format(url=f"http://127.0.0.1:{PORT}"))
    assert first.endswith(PACKAGE_SETTINGS)
    (tmp_path / "configuration.yaml").write_text("changed by a test\n")
    hass.write_config()
    assert (tmp_path / "configuration.yaml").read_text() == first
    assert not (tmp_path / "packages").exists()
