"""A flood of 10,000 webhook calls on loopback: Home Assistant stays responsive and bounded, and
the valid events among them are applied exactly once."""

import asyncio
import json
import logging
import time
import tracemalloc
from typing import Any
from unittest.mock import patch

from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.aioloqedweb import BatteryReport
from custom_components.loqed_web.aioloqedweb import interpret as interpret_module
from tests.ha.conftest import LOCK_ENTITY, OLD_LOCK_ID, WEBHOOK_ID

REQUESTS = 10_000
VALID_EVERY = 10  # one valid battery event in ten
CONCURRENCY = 100
MAX_PEAK_MIB = 64
MAX_LOOP_LAG_SECONDS = 1.0
JUNK = [b"", b"\xff\xfe", b"[]", b'{"event_type": "DOORBELL"}', b'{"lock_id": "9999", "online": 1}', b"x=1" * 100]


def body(index: int) -> bytes:
    if index % VALID_EVERY == 0:
        # Each valid event differs (value1, as LOQED's IFTTT extras): an identical body within
        # 10 s is a copy LOQED delivers twice, and is dropped by design.
        event = {"lock_id": OLD_LOCK_ID, "battery_percentage": (index // VALID_EVERY) % 101, "value1": str(index)}
        return json.dumps(event).encode()
    return JUNK[index % len(JUNK)]


async def test_a_flood_of_ten_thousand_calls(
    hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any, figures: dict[str, Any]
) -> None:
    hass.loop.set_debug(False)  # a load test: debug mode would measure itself
    client = await hass_client_no_auth()
    applied: list[BatteryReport] = []
    real_apply = interpret_module.apply_event

    def counting_apply(data: Any, event: Any, method: Any = None, **also: Any) -> Any:
        if isinstance(event, BatteryReport):
            applied.append(event)
        return real_apply(data, event, method, **also)

    lag = 0.0
    stop = asyncio.Event()

    async def watch_the_loop() -> None:
        nonlocal lag
        while not stop.is_set():
            started = time.monotonic()
            await asyncio.sleep(0.05)
            lag = max(lag, time.monotonic() - started - 0.05)

    async def send(index: int) -> int:
        async with client.post(f"/api/webhook/{WEBHOOK_ID}", data=body(index)) as response:
            return response.status

    watcher = asyncio.create_task(watch_the_loop())
    # pytest keeps every log record, and aiohttp's access records hold each request: that is the
    # test's memory, not Home Assistant's. Debug and info lines are off for the measurement.
    logging.disable(logging.INFO)
    tracemalloc.start()
    started = time.monotonic()
    statuses: list[int] = []
    try:
        with patch.object(interpret_module, "apply_event", counting_apply):
            for first in range(0, REQUESTS, CONCURRENCY):
                statuses += await asyncio.gather(*(send(i) for i in range(first, first + CONCURRENCY)))
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()  # the test client's side included
    finally:
        tracemalloc.stop()
        logging.disable(logging.NOTSET)
    stop.set()
    await watcher
    await hass.async_block_till_done()

    valid = REQUESTS // VALID_EVERY
    assert len(statuses) == REQUESTS
    assert all(status == 200 or 400 <= status < 500 for status in statuses)
    assert len(applied) == valid, "each valid event applied exactly once"
    assert peak < MAX_PEAK_MIB * 2**20
    assert lag < MAX_LOOP_LAG_SECONDS
    assert hass.states.get(LOCK_ENTITY).state == "locked"  # type: ignore[union-attr]  # junk moved nothing
    figures["flood requests"] = REQUESTS
    figures["flood valid events applied"] = f"{len(applied)} of {valid} (0 lost, 0 doubled)"
    figures["flood events lost"] = valid - len(applied)
    figures["flood peak traced memory"] = f"{peak / 2**20:.1f} MiB (limit {MAX_PEAK_MIB} MiB)"
    figures["flood throughput"] = f"{REQUESTS / elapsed:.0f} requests/s, worst event-loop lag {lag * 1000:.0f} ms"
