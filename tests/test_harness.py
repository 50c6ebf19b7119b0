"""The harness says in words what went wrong, never as a dict or a traceback."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from harness.hass import FlowError  # the repo root is on the path now


def test_a_flow_that_asks_again_is_said_in_words() -> None:
    error = FlowError({"type": "form", "step_id": "user", "errors": {"base": "rate_limited"}})
    assert str(error) == "the config flow did not finish; it asks again at step 'user' (rate_limited)"


def test_a_flow_that_stopped_says_why() -> None:
    assert str(FlowError({"type": "abort", "reason": "already_configured"})) == (
        "the config flow did not finish; it stopped: already_configured"
    )
