"""Benchmarks, run by scripts/bench (not by scripts/test: timings are no pass/fail here).

Every figure is a ratio to a floor measured in the same run, on the same loop, so a slow or busy
machine shifts both sides alike. The event loop's debug mode is off, as in production.
"""

import json
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from homeassistant.components import webhook
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from tests.ha.conftest import LOCK_ID, OLD_LOCK_ID, WEBHOOK_ID, setup_entry, stored_lock

ROUNDS = 1000
NOOP_ID = "noop" * 8
RESULTS: list[tuple[str, str, str]] = []


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


async def timed(rounds: int, call: Callable[[int], Awaitable[Any]]) -> list[float]:
    samples = []
    for index in range(rounds):
        started = time.perf_counter()
        await call(index)
        samples.append(time.perf_counter() - started)
    return samples


def report(name: str, samples: list[float], floor: list[float], command: str) -> None:
    p50, p99 = percentiles(samples)
    f50, f99 = percentiles(floor)
    RESULTS.append((name, f"{p50 * 1000:.2f} / {p99 * 1000:.2f} ms", f"{p50 / f50:.2f} / {p99 / f99:.2f}"))
    times = f"p50 {p50 * 1000:6.2f} ms  p99 {p99 * 1000:6.2f} ms"
    print(f"{name:55} {times}  ratio {p50 / f50:.2f} / {p99 / f99:.2f}  ({command})")


async def test_webhook_paths(hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any) -> None:
    hass.loop.set_debug(False)

    async def noop(_hass: HomeAssistant, _id: str, _request: web.Request) -> web.Response:
        return web.Response()

    webhook.async_register(hass, "bench", "no-op", NOOP_ID, noop, local_only=False)
    client = await hass_client_no_auth()

    async def post(webhook_id: str, body: bytes) -> None:
        async with client.post(f"/api/webhook/{webhook_id}", data=body) as response:
            assert response.status == 200

    def movement(index: int) -> bytes:
        state, kind = [("DAY_LOCK", "STATE_CHANGED_LATCH"), ("NIGHT_LOCK", "STATE_CHANGED_NIGHT_LOCK")][index % 2]
        return json.dumps({"lock_id": int(OLD_LOCK_ID), "requested_state": state, "event_type": kind,
                           "key_local_id": "3", "key_name_user": "Anna", "value1": str(index)}).encode()  # fmt: skip

    battery = lambda index: json.dumps({"lock_id": int(OLD_LOCK_ID), "battery_percentage": index % 100,  # noqa: E731
                                        "value1": str(index)}).encode()  # fmt: skip
    ignored = lambda index: json.dumps({"event_type": "DOORBELL", "value1": str(index)}).encode()  # noqa: E731

    command = "scripts/bench"
    await timed(200, lambda i: post(NOOP_ID, movement(i)))  # warm up both paths first
    await timed(200, lambda i: post(WEBHOOK_ID, battery(i + 10 * ROUNDS)))
    floor: list[float] = []
    for offset, (name, make) in enumerate(
        (
            ("webhook: lock movement to state written", movement),
            ("webhook: battery event", battery),
            ("webhook: ignored call", ignored),
        )
    ):
        # Interleaved, one no-op call then one of ours: both meet the same machine at the same time.
        path_floor, samples = [], []
        for index in range(ROUNDS):
            path_floor += await timed(1, lambda _i, index=index: post(NOOP_ID, movement(index)))
            body = make(index + (offset + 3) * ROUNDS)
            samples += await timed(1, lambda _i, body=body: post(WEBHOOK_ID, body))
        report(name, samples, path_floor, command)
        floor += path_floor
    started = time.perf_counter()
    for index in range(ROUNDS):
        await post(WEBHOOK_ID, movement(index + ROUNDS))
    rate = ROUNDS / (time.perf_counter() - started)
    floor_rate = len(floor) / sum(floor)
    RESULTS.append(("sequential event rate", f"{rate:.0f} /s", f"{rate / floor_rate:.2f} of the no-op's"))
    print(
        f"{'sequential event rate':55} {rate:.0f} events/s ({rate / floor_rate:.2f} of the no-op's {floor_rate:.0f}/s)"
    )

    tracemalloc.start()
    for index in range(10_000):
        await post(WEBHOOK_ID, battery(index + 2 * ROUNDS))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    RESULTS.append(("peak traced memory, 10,000 events (test client included)", f"{peak / 2**20:.1f} MiB", ""))
    print(f"{'peak traced memory for 10,000 events':55} {peak / 2**20:.1f} MiB (the test client included)")


async def test_setup_with_restored_state(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any], external_url: None
) -> None:
    hass.loop.set_debug(False)
    hass_storage[f"loqed_web.{LOCK_ID}"] = stored_lock()
    started = time.perf_counter()
    await setup_entry(hass, entry)
    elapsed = time.perf_counter() - started
    RESULTS.append(("async_setup_entry with restored state (no network)", f"{elapsed * 1000:.1f} ms", ""))
    print(f"{'async_setup_entry with restored state, no network':55} {elapsed * 1000:.1f} ms")


def test_zz_table() -> None:
    print("\n| measure | p50 / p99 (or value) | ratio to the no-op webhook (p50 / p99) |\n|---|---|---|")
    for name, value, ratio in RESULTS:
        print(f"| {name} | {value} | {ratio} |")
