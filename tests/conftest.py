"""Shared fixtures and options for the loqed_web tests."""

import pytest


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add --skip-e2e: the end-to-end tests run unless this is given."""
    parser.addoption("--skip-e2e", action="store_true", help="skip the end-to-end tests (local loops only)")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Skip the tests marked e2e when --skip-e2e is given."""
    if not config.getoption("--skip-e2e"):
        return
    skip = pytest.mark.skip(reason="--skip-e2e")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(enable_custom_integrations: None) -> None:
    """Let Home Assistant load custom_components/loqed_web in every test."""
