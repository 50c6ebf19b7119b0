"""The suite's guards can fail: a report about loqed_web, and a deprecation raised by our code."""

import logging
import warnings

import pytest

from .conftest import _ReportCatcher


def test_a_frame_helper_report_about_loqed_web_is_caught() -> None:
    catcher = _ReportCatcher()
    frame = logging.Logger("frame")  # outside the logger tree: the suite's own guard must not see it
    frame.addHandler(catcher)
    frame.warning("Detected that custom integration 'loqed_web' has an update listener at a.py, line 1")
    frame.warning("Detected that custom integration 'other' does something")
    assert catcher.reports == ["Detected that custom integration 'loqed_web' has an update listener at a.py, line 1"]


def test_a_deprecation_raised_by_our_code_is_an_error() -> None:
    with pytest.raises(DeprecationWarning):
        warnings.warn_explicit(
            "old", DeprecationWarning, "coordinator.py", 1, "custom_components.loqed_web.coordinator"
        )
