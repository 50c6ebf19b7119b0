"""Benchmarks, run by scripts/bench (not by scripts/test: timings are no pass/fail here).

Every figure is a ratio to a floor measured in the same run, on the same loop, so a slow or busy
machine shifts both sides alike. The event loop's debug mode is off, as in production.
"""

import base64
import gc
import hashlib
import itertools
import json
import statistics
import time
import tracemalloc
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from unittest.mock import AsyncMock, patch

import pytest
from aiohttp import ClientSession, web
from aiohttp.test_utils import TestServer
from homeassistant.components import webhook
from homeassistant.const import EVENT_STATE_CHANGED
from homeassistant.core import Context, Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.aioloqedweb import (
    Action,
    BoltState,
    Credentials,
    Hosts,
    LoqedWebClient,
    Method,
    Operation,
    Operator,
    SigningMode,
)
from tests.ha.conftest import CREDENTIALS, LOCK_ID, OLD_LOCK_ID, WEBHOOK_ID, setup_entry, stored_lock

ROUNDS = 3000  # per measured path: p99 is then the 30th slowest call, not the 10th
NOOP_ID = "noop" * 8
RESULTS: list[tuple[str, str, str, str]] = []
SERIAL = itertools.count()  # every body differs, so that none is taken for a copy of another
COLLECTIONS = [0]  # garbage collections started so far, counted while a benchmark runs


def _count_collection(phase: str, _info: dict[str, Any]) -> None:
    if phase == "start":
        COLLECTIONS[0] += 1


@pytest.fixture(autouse=True)
def counted_collections() -> Iterator[None]:
    gc.callbacks.append(_count_collection)
    yield
    gc.callbacks.remove(_count_collection)


@dataclass
class Timings:
    """The durations of measured calls, and the garbage collections that started during them.

    Python's collector runs about once per hundred webhook calls, for most of a millisecond,
    in whichever call crosses its threshold: it is what a p99 is made of here.
    """

    samples: list[float] = field(default_factory=list)
    collections: int = 0


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[int(len(ordered) * 0.99) - 1]


async def timed(rounds: int, call: Callable[[int], Awaitable[Any]], into: Timings | None = None) -> Timings:
    timings = Timings() if into is None else into
    for index in range(rounds):
        collections = COLLECTIONS[0]
        started = time.perf_counter()
        await call(index)
        timings.samples.append(time.perf_counter() - started)
        timings.collections += COLLECTIONS[0] - collections
    return timings


def report(name: str, measured: Timings, floor: Timings, command: str) -> None:
    (p50, p99), (f50, f99) = percentiles(measured.samples), percentiles(floor.samples)
    collections = f"{floor.collections} / {measured.collections}"
    RESULTS.append((name, f"{p50 * 1000:.2f} / {p99 * 1000:.2f} ms", f"{p50 / f50:.2f} / {p99 / f99:.2f}", collections))
    times = f"p50 {p50 * 1000:6.2f} ms  p99 {p99 * 1000:6.2f} ms"
    print(f"{name:55} {times}  ratio {p50 / f50:.2f} / {p99 / f99:.2f}  GC {collections}  ({command})")


type Post = Callable[..., Awaitable[None]]


async def _noop(_hass: HomeAssistant, _id: str, _request: web.Request) -> web.Response:
    return web.Response()


@pytest.fixture
async def post(hass: HomeAssistant, hass_client_no_auth: Any) -> AsyncIterator[Post]:
    """Register the no-op webhook (the floor); return a POST to any webhook that expects 200.

    Sent with a plain client session, as LOQED's cloud would: the test plugin's client keeps
    every response until the test ends (about 15 objects a call), which would have the garbage
    collector run every hundred calls or so for the benchmark's own sake.
    """
    webhook.async_register(hass, "bench", "no-op", NOOP_ID, _noop, local_only=False)
    server = await hass_client_no_auth()  # Home Assistant's HTTP app, served on loopback
    async with ClientSession() as session:

        async def post(webhook_id: str, body: bytes, headers: dict[str, str] | None = None) -> None:
            url = server.make_url(f"/api/webhook/{webhook_id}")
            async with session.post(url, data=body, headers=headers) as response:
                assert response.status == 200

        yield post


async def test_webhook_paths(hass: HomeAssistant, loaded: MockConfigEntry, post: Post) -> None:
    hass.loop.set_debug(False)

    noop_movement, movement = movements(), movements()

    command = "scripts/bench"
    await timed(200, lambda _i: post(NOOP_ID, noop_movement()))  # warm up both paths first
    await timed(200, lambda _i: post(WEBHOOK_ID, battery_report()))
    floor = Timings()
    for name, make, writes in (
        ("webhook: lock movement to state written", movement, 2),
        ("webhook: movement by another key each time", movements("Anna", "Bob"), 3),
        ("webhook: battery event", battery_report, 1),
        ("webhook: ignored call", doorbell, 0),
    ):
        # Interleaved, one no-op call then one of ours: both meet the same machine at the same time.
        path_floor, measured = Timings(), Timings()
        for _ in range(ROUNDS):
            noop_body, body = noop_movement(), make()
            await timed(1, lambda _i, noop_body=noop_body: post(NOOP_ID, noop_body), into=path_floor)
            await timed(1, lambda _i, body=body: post(WEBHOOK_ID, body), into=measured)
        # What each call wrote, of the lock, Last operated by, Activity and the battery sensor.
        assert await writes_per_call(hass, lambda make=make: post(WEBHOOK_ID, make())) == writes, name
        report(f"{name} ({writes} state write{'' if writes == 1 else 's'})", measured, path_floor, command)
        floor.samples += path_floor.samples
    started = time.perf_counter()
    for _ in range(ROUNDS):
        await post(WEBHOOK_ID, movement())
    rate = ROUNDS / (time.perf_counter() - started)
    floor_rate = len(floor.samples) / sum(floor.samples)
    RESULTS.append(("sequential event rate", f"{rate:.0f} /s", f"{rate / floor_rate:.2f} of the no-op's", ""))
    print(
        f"{'sequential event rate':55} {rate:.0f} events/s ({rate / floor_rate:.2f} of the no-op's {floor_rate:.0f}/s)"
    )

    tracemalloc.start()
    for _ in range(10_000):
        await post(WEBHOOK_ID, battery_report())
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    RESULTS.append(("peak traced memory, 10,000 events (sender and Home Assistant)", f"{peak / 2**20:.1f} MiB", "", ""))
    print(f"{'peak traced memory for 10,000 events':55} {peak / 2**20:.1f} MiB")


_MOVES = (("DAY_LOCK", "STATE_CHANGED_LATCH"), ("NIGHT_LOCK", "STATE_CHANGED_NIGHT_LOCK"))


def movements(*users: str) -> Callable[[], bytes]:
    """Return a maker of one lock's movement bodies, each with every field real 2026 traffic has.

    Call by call they alternate latch and night lock, so that each one moves the lock, made by
    `users` in turn (one: *Last operated by* stays; two: it changes every time). `value1`, an
    IFTTT-style extra, holds a serial number, so that no call is a copy of another.
    """
    turns = itertools.count()
    names = users or ("Anna",)

    def body() -> bytes:
        turn = next(turns)
        state, kind = _MOVES[turn % 2]
        user = names[turn % len(names)]
        return json.dumps({
            "lock_id": int(OLD_LOCK_ID), "requested_state": state, "event_type": kind,
            "key_local_id": str(3 + names.index(user)), "key_name_user": user, "key_name_admin": "Owner",
            "key_account_email": "owner@example.com", "key_account_name": "Owner",
            "value1": str(next(SERIAL)), "value2": user, "value3": "owner@example.com",
        }).encode()  # fmt: skip

    return body


def battery_report() -> bytes:
    """A battery report whose level differs from the one before."""
    return json.dumps({"lock_id": int(OLD_LOCK_ID), "battery_percentage": next(SERIAL) % 100}).encode()


def doorbell() -> bytes:
    """An event type the integration does not use: answered, and nothing changes."""
    return json.dumps({"event_type": "DOORBELL", "value1": str(next(SERIAL))}).encode()


async def writes_per_call(hass: HomeAssistant, call: Callable[[], Awaitable[None]], calls: int = 4) -> float:
    """Return how many of the lock's entities wrote their state per call, over a few more calls.

    Counted after the timed calls, so that the listener costs them nothing.
    """
    writes: list[str] = []

    @callback
    def count(event: Event[EventStateChangedData]) -> None:
        if "loqed_6148" in event.data["entity_id"]:
            writes.append(event.data["entity_id"])

    stop = hass.bus.async_listen(EVENT_STATE_CHANGED, count)
    for _ in range(calls):
        await call()
    stop()
    return len(writes) / calls


REFERENCE_ID = "refs" * 8
BARE_WRITES_ID = "bare" * 8


async def test_the_state_writes_alone(hass: HomeAssistant, loaded: MockConfigEntry, post: Post) -> None:
    """References: handlers that read the body and have the lock and Activity write, nothing else.

    What a movement's two state writes cost in this run, twice: once as Home Assistant's entity
    code alone (the entities are told the new data directly), once through the coordinator's
    publish as loqed_web's path ends. The rest of loqed_web's path is parsing and bookkeeping.
    Measured after the others, interleaved with the floor, as they move the same lock.
    """
    hass.loop.set_debug(False)
    coordinator = loaded.runtime_data.locks[None]
    lock = hass.data["entity_components"]["lock"].get_entity("lock.loqed_6148")
    activity = hass.data["entity_components"]["event"].get_entity("event.loqed_6148_activity")
    anna = Operator(3, "Anna")
    moves = itertools.cycle(((BoltState.DAY_LOCK, "unlock"), (BoltState.NIGHT_LOCK, "lock")))

    async def bare_writes(_hass: HomeAssistant, _id: str, request: web.Request) -> web.Response:
        await request.read()
        state, kind = next(moves)
        # What Home Assistant's entity code does with a movement, without the coordinator.
        coordinator.data = coordinator.data.evolve({"bolt_state": state})
        lock.async_write_ha_state()
        operation = Operation(kind, state.value, anna, Method.REMOTE, dt_util.utcnow())
        activity._trigger_event(operation.type, operation.attributes())
        activity.async_write_ha_state()
        return web.Response()

    async def writes_only(_hass: HomeAssistant, _id: str, request: web.Request) -> web.Response:
        await request.read()
        state, kind = next(moves)
        # What a movement ends with: the operation, then the coordinator's own publish.
        coordinator.activity.last_operation = Operation(kind, state.value, anna, Method.REMOTE, dt_util.utcnow())
        coordinator._async_publish(coordinator.data.evolve({"bolt_state": state}), Context())
        return web.Response()

    webhook.async_register(hass, "bench", "bare writes", BARE_WRITES_ID, bare_writes, local_only=False)
    webhook.async_register(hass, "bench", "writes only", REFERENCE_ID, writes_only, local_only=False)

    movement = movements()
    for webhook_id, name in (
        (BARE_WRITES_ID, "reference: Home Assistant's two state writes alone"),
        (REFERENCE_ID, "reference: the same, through loqed_web's coordinator"),
    ):
        # One after the other: the bare writes bypass what the entities remember of their writes.
        await timed(200, lambda _i, webhook_id=webhook_id: post(webhook_id, movement()))
        floor, measured = Timings(), Timings()
        for _ in range(ROUNDS):
            noop_body, body = movement(), movement()
            await timed(1, lambda _i, b=noop_body: post(NOOP_ID, b), into=floor)
            await timed(1, lambda _i, b=body, webhook_id=webhook_id: post(webhook_id, b), into=measured)
        # 200 warm-up and ROUNDS measured calls, alternating from an unlock: the last one locked.
        assert hass.states.get("event.loqed_6148_activity").attributes["event_type"] == "lock", name
        assert await writes_per_call(hass, lambda webhook_id=webhook_id: post(webhook_id, movement())) == 2, name
        report(name, measured, floor, "scripts/bench")


CORE_WEBHOOK_ID = "core" * 8
BRIDGE_KEY = base64.b64encode(bytes(range(32))).decode()
CORE_STATUS = {
    "battery_percentage": 78, "battery_type": "NICKEL_METAL_HYDRIDE", "battery_type_numeric": 1,
    "battery_voltage": 10.37, "bolt_state": "day_lock", "bolt_state_numeric": 2,
    "bridge_mac_wifi": "aabbccddeeff", "bridge_mac_ble": "aabbccddeeaa", "lock_online": 1,
    "webhooks_number": 1, "ip_address": "192.0.2.12", "up_timestamp": 1653041994,
    "wifi_strength": 73, "ble_strength": 20,
}  # fmt: skip


async def setup_core_loqed(hass: HomeAssistant) -> None:
    """Set up HA core's loqed with a real loqedAPI Lock (its hash check runs); no bridge is called."""
    from loqedAPI import loqed  # noqa: PLC0415  # a bench-only extra, installed by scripts/bench

    lock = loqed.Lock(dict(CORE_STATUS), CREDENTIALS["key"], BRIDGE_KEY, 2, "Front door", None)  # type: ignore[arg-type]  # no bridge
    url = webhook.async_generate_url(hass, CORE_WEBHOOK_ID, prefer_external=False)
    lock.getWebhooks = AsyncMock(return_value=[{"id": 1, "url": url}])  # type: ignore[method-assign]  # the bridge knows us
    lock.deleteWebhook = AsyncMock()  # type: ignore[method-assign]  # at unload: no bridge here
    entry = MockConfigEntry(
        domain="loqed",
        data={
            "id": "Foo",
            "bridge_ip": "192.0.2.12",
            "bridge_mdns_hostname": "LOQED-aabbccddeeff.local",
            "bridge_key": BRIDGE_KEY,
            "lock_key_local_id": 2,
            "lock_key_key": CREDENTIALS["key"],
            "webhook_id": CORE_WEBHOOK_ID,
            "api_token": "Token",
            "name": "Home",
        },
    )
    entry.add_to_hass(hass)
    with (
        patch("loqedAPI.loqed.LoqedAPI.async_get_lock", return_value=lock),
        patch("loqedAPI.loqed.LoqedAPI.async_get_lock_details", return_value=dict(CORE_STATUS)),
    ):
        assert await async_setup_component(hass, "loqed", {})
        await hass.async_block_till_done()


def bridge_headers(body: bytes) -> dict[str, str]:
    """Sign a webhook call as the LOQED bridge does for HA core's loqed."""
    now = int(time.time())
    digest = hashlib.sha256(body + now.to_bytes(8, "big") + base64.b64decode(BRIDGE_KEY)).hexdigest()
    return {"TIMESTAMP": str(now), "HASH": digest}


async def test_ha_core_loqed_side_by_side(hass: HomeAssistant, loaded: MockConfigEntry, post: Post) -> None:
    """The same movement through HA core's loqed (bridge webhook, hash check) and through ours."""
    pytest.importorskip("loqedAPI", reason="scripts/bench installs loqedAPI (HA core loqed's requirement)")
    hass.loop.set_debug(False)
    await setup_core_loqed(hass)

    noop_movement, movement, core_movement = movements(), movements(), movements()
    for _ in range(200):  # warm up all three
        await post(NOOP_ID, noop_movement())
        await post(WEBHOOK_ID, movement())
        body = core_movement()
        await post(CORE_WEBHOOK_ID, body, bridge_headers(body))
    core_locks = [state.entity_id for state in hass.states.async_all("lock") if state.entity_id != "lock.loqed_6148"]
    assert core_locks, "HA core's loqed lock is set up"
    floor, ours, core = Timings(), Timings(), Timings()
    for _ in range(ROUNDS):
        noop_body, body, core_body = noop_movement(), movement(), core_movement()
        headers = bridge_headers(core_body)
        await timed(1, lambda _i, b=noop_body: post(NOOP_ID, b), into=floor)
        await timed(1, lambda _i, b=body: post(WEBHOOK_ID, b), into=ours)
        await timed(1, lambda _i, b=core_body, h=headers: post(CORE_WEBHOOK_ID, b, h), into=core)
    assert await writes_per_call(hass, lambda: post(WEBHOOK_ID, movement())) == 2
    report("HA core loqed: the same movement (bridge webhook)", core, floor, "scripts/bench")
    report("loqed_web: the same movement, in the same run", ours, floor, "scripts/bench")


async def test_signed_command_against_a_bare_get(socket_enabled: None) -> None:
    """A locally signed command through the client, against a bare aiohttp GET to the same server."""

    async def answer(_request: web.Request) -> web.Response:
        return web.Response(text="{}")

    app = web.Application()
    app.router.add_get("/{tail:.*}", answer)
    server = TestServer(app, host="127.0.0.1")
    await server.start_server()
    base = str(server.make_url("")).rstrip("/")
    try:
        async with ClientSession() as session:
            client = LoqedWebClient(session, Credentials(**CREDENTIALS), hosts=Hosts(base, base, base))  # type: ignore[arg-type]  # test data
            bare_url = f"{base}/API/lock_command.php"

            async def bare(_index: int) -> None:
                async with session.get(bare_url) as response:
                    await response.read()

            async def signed(_index: int) -> None:
                await client.send_command(Action.DAY_LOCK, SigningMode.LOCAL)

            await timed(200, bare)
            await timed(200, signed)
            floor, measured = Timings(), Timings()
            for _ in range(ROUNDS):
                await timed(1, bare, into=floor)
                await timed(1, signed, into=measured)
            report("signed command through the client vs a bare GET", measured, floor, "scripts/bench")
    finally:
        await server.close()


async def test_setup_with_restored_state(
    hass: HomeAssistant, entry: MockConfigEntry, hass_storage: dict[str, Any], external_url: None
) -> None:
    hass.loop.set_debug(False)
    hass_storage[f"loqed_web.{LOCK_ID}"] = stored_lock()
    started = time.perf_counter()
    await setup_entry(hass, entry)
    elapsed = time.perf_counter() - started
    RESULTS.append(("async_setup_entry with restored state (no network)", f"{elapsed * 1000:.1f} ms", "", ""))
    print(f"{'async_setup_entry with restored state, no network':55} {elapsed * 1000:.1f} ms")


def test_zz_table() -> None:
    print(
        "\n| measure | p50 / p99 (or value) | ratio to the no-op webhook (p50 / p99) "
        "| garbage collections during the calls (no-op / measured) |\n|---|---|---|---|"
    )
    for name, value, ratio, collections in RESULTS:
        print(f"| {name} | {value} | {ratio} | {collections} |")
