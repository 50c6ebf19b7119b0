"""Shared fixtures and options for the loqed_web tests."""

import logging
import os
from collections.abc import Iterator
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


# What Home Assistant's frame helper logs when our code uses what a later release breaks.
REPORT_ABOUT_US = "Detected that custom integration 'loqed_web'"


class _ReportCatcher(logging.Handler):
    """Keeps Home Assistant's reports about loqed_web, whichever logger says them."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.reports: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if REPORT_ABOUT_US in (message := record.getMessage()):
            self.reports.append(message)


@pytest.fixture(autouse=True)
def no_reports_about_loqed_web() -> Iterator[_ReportCatcher]:
    """Fail a test in which Home Assistant reports a use of ours that a later release breaks.

    Set up first, so torn down last: reports made while Home Assistant stops count too.
    (A DeprecationWarning raised by our code fails the test through pyproject's filterwarnings.)
    """
    catcher = _ReportCatcher()
    root = logging.getLogger()
    root.addHandler(catcher)
    try:
        yield catcher
    finally:
        root.removeHandler(catcher)
    assert catcher.reports == [], catcher.reports


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/loqed_web in every test."""


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Serialise with Home Assistant's extension (registry ids and times are masked)."""
    return snapshot.use_extension(HomeAssistantSnapshotExtension)
