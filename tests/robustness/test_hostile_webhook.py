"""Property-based: whatever is POSTed to the real webhook endpoint, nothing breaks.

Hypothesis runs in a worker thread and posts each body through Home Assistant's HTTP stack on
the event loop, which stays free while the worker waits.
"""

import asyncio
import json
import logging
from collections import Counter
from typing import Any
from unittest.mock import patch
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient
from homeassistant.core import HomeAssistant
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.aioloqedweb import MAX_BODY_BYTES, Rejection, parse_webhook
from tests.ha.conftest import API_KEY, KEY, LOCK_ID, OLD_LOCK_ID, TOKEN, WEBHOOK_ID

EXAMPLES = 5000
WHO = {"key_local_id": 3, "key_name_user": "Anna", "key_account_e-mail": "anna@example.com"}
VALID: list[dict[str, Any]] = [
    {"lock_id": OLD_LOCK_ID, "requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH", **WHO},
    {"lock_id": OLD_LOCK_ID, "requested_state": "NIGHT_LOCK", "event_type": "STATE_CHANGED_NIGHT_LOCK", **WHO},
    {"lock_id": LOCK_ID, "requested_state": "OPEN", "event_type": "STATE_CHANGED_OPEN", **WHO},
    {"lock_id": OLD_LOCK_ID, "requested_state": "UNKNOWN", "event_type": "MOTOR_STALL"},
    {"lock_id": OLD_LOCK_ID, "go_to_state": "OPEN", "event_type": "GO_TO_STATE_MANUAL_UNLOCK_REMOTE_OPEN", **WHO},
    {"lock_id": OLD_LOCK_ID, "wifi_strength": 60, "ble_strength": 30, "battery_percentage": 80},
    {"lock_id": OLD_LOCK_ID, "online": "1"},
]
HUGE: list[bytes] = [
    b'{"battery_percentage": 1e309}',
    b'{"battery_percentage": NaN, "wifi_strength": Infinity, "ble_strength": -Infinity}',
    b'{"battery_percentage": -5, "wifi_strength": -99999999999999999999}',
    b'{"battery_percentage": ' + b"9" * 5000 + b"}",
    json.dumps({"event_type": "STATE_CHANGED_OPEN", "key_name_user": "x" * 60_000}).encode(),
    json.dumps({"event_type": "X" * (MAX_BODY_BYTES + 10)}).encode(),
    b" " * (MAX_BODY_BYTES + 1),
]
SECRETS = {"API token": TOKEN, "Key": KEY, "API key": API_KEY}
# Home Assistant core names the webhook id in its own debug lines; ours never may.
CORE_LOGGERS_NAMING_THE_WEBHOOK = ("homeassistant.components.webhook", "homeassistant.helpers.http", "aiohttp.access")

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=16), children, max_size=4),
    max_leaves=12,
)
field_names = st.sampled_from(sorted({key for event in VALID for key in event} | {"lockId", "Event-Type", "value1"}))


def mutate(event: dict[str, Any], key: str, value: Any) -> bytes:
    return json.dumps({**event, key: value}).encode()


bodies = st.one_of(
    st.binary(max_size=300),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.integers(1, 70_000).map(lambda depth: b"[" * depth + b"]" * depth),
    st.sampled_from(HUGE),
    st.builds(mutate, st.sampled_from(VALID), field_names, json_values),
    st.dictionaries(st.text(max_size=16), st.text(max_size=30), max_size=5).map(lambda d: urlencode(d).encode()),
    st.sampled_from(VALID).map(lambda event: urlencode(event).encode()),
    st.just(b""),
    st.sampled_from(VALID).map(lambda event: json.dumps(event).encode()),
)


class LogRecorder(logging.Handler):
    """Keeps every record, from any thread."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def loqed_states(hass: HomeAssistant) -> dict[str, tuple[str, dict[str, Any]]]:
    return {s.entity_id: (s.state, dict(s.attributes)) for s in hass.states.async_all() if "loqed" in s.entity_id}


async def test_hostile_bodies_change_nothing_and_break_nothing(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any, figures: dict[str, Any]
) -> None:
    client: TestClient = await hass_client_no_auth()
    loop = asyncio.get_running_loop()
    recorder = LogRecorder()
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(recorder)
    root.setLevel(logging.DEBUG)
    outcomes: Counter[str] = Counter()

    async def post(body: bytes) -> tuple[int, dict[str, Any], dict[str, Any]]:
        before = loqed_states(hass)
        response = await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body)
        await hass.async_block_till_done()
        return response.status, before, loqed_states(hass)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(body=bodies)
    def run(body: bytes) -> None:
        status, before, after = asyncio.run_coroutine_threadsafe(post(body), loop).result(30)
        assert status == 200 or 400 <= status < 500, status
        parsed = parse_webhook(body)
        outcomes[f"{status} {parsed.reason if isinstance(parsed, Rejection) else 'applied'}"] += 1
        if isinstance(parsed, Rejection) or status != 200:
            assert after == before, body[:200]
        errors = [r for r in recorder.records if r.levelno >= logging.ERROR]
        assert not errors, [r.getMessage() for r in errors]

    # No timers: a transition or OPEN fallback started by a valid event must not fire during a
    # later example and look like a change caused by that example's body.
    with patch("custom_components.loqed_web.transitions.async_call_later", return_value=lambda: None):
        try:
            await hass.async_add_executor_job(run)
        finally:
            root.removeHandler(recorder)
            root.setLevel(previous_level)

    for record in recorder.records:
        text = record.getMessage()
        for name, secret in SECRETS.items():
            assert secret not in text, f"{name} logged by {record.name}"
        if not record.name.startswith(CORE_LOGGERS_NAMING_THE_WEBHOOK):
            assert WEBHOOK_ID not in text, f"webhook id logged by {record.name}"
    assert sum(outcomes.values()) == EXAMPLES
    assert outcomes["200 applied"] > 0  # valid events were among them, and applied
    figures["hostile webhook bodies tried"] = EXAMPLES
    figures["hostile webhook outcomes"] = ", ".join(f"{k}: {v}" for k, v in sorted(outcomes.items()))
