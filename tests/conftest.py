"""Shared fixtures and options for the loqed_web tests."""

import os
from typing import Any

import pytest
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from .figures import FIGURES, REPORT, write_report


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --skip-e2e: the end-to-end tests run unless this is given."""
    parser.addoption("--skip-e2e", action="store_true", help="skip the end-to-end tests (local loops only)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip e2e tests on --skip-e2e, and snapshot tests on the floor run.

    Registry entries serialise differently from one Home Assistant release to the next, so
    the snapshots are kept for the current release only; the floor run checks behaviour.
    """
    skip_e2e = pytest.mark.skip(reason="--skip-e2e")
    skip_snapshot = pytest.mark.skip(reason="snapshots follow the current Home Assistant only")
    for item in items:
        if config.getoption("--skip-e2e") and "e2e" in item.keywords:
            item.add_marker(skip_e2e)
        if os.environ.get("LOQED_WEB_FLOOR_RUN") and "snapshot" in getattr(item, "fixturenames", ()):
            item.add_marker(skip_snapshot)


@pytest.fixture
def figures() -> dict[str, Any]:
    """Where a robustness test records what it measured, for reports/robustness.md."""
    return FIGURES


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the robustness report, and show it, when robustness figures were measured."""
    lines = write_report()
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if lines and reporter is not None:
        reporter.write_line(f"robustness report ({REPORT}):")
        for line in lines[4:]:
            reporter.write_line(f"  {line}")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/loqed_web in every test."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise with Home Assistant's extension (registry ids and times are masked)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
