"""The simulator behaves like LOQED's cloud: it checks signatures, limits status, moves locks."""

import asyncio
import base64
import time
from typing import Any

import pytest
from aiohttp.test_utils import make_mocked_request

from custom_components.loqed_web.aioloqedweb import (
    Action,
    Credentials,
    LoqedAuthError,
    LoqedClockSkewError,
    LoqedNotFoundError,
    LoqedRateLimitedError,
    LoqedServerError,
    SigningMode,
    parse_credentials,
    sign_command,
)

from .conftest import make_mocked_control


async def test_a_signed_command_moves_the_lock_and_posts_going_then_reached(world) -> None:
    cloud, client, hooks = world
    await client.send_command(Action.DAY_LOCK)
    going, reached = await hooks.wait_for(2)
    assert going["event_type"] == "GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH"
    assert going["go_to_state"] == "DAY_LOCK"
    assert reached["event_type"] == "STATE_CHANGED_LATCH"
    assert reached["lock_id"] == int(cloud.locks[0].old_lock_id)  # a JSON number, as real LOQED
    assert reached["key_local_id"] == str(cloud.locks[0].local_key_id)  # a string, as real LOQED
    assert reached["key_account_email"] == "anna@example.com"
    assert (reached["value1"], reached["value3"]) == ("STATE_CHANGED_LATCH", "anna@example.com")
    assert cloud.locks[0].state == "DAY_LOCK"


async def test_a_command_for_the_current_state_posts_only_going_to(world) -> None:
    _cloud, client, hooks = world
    await client.send_command(Action.NIGHT_LOCK, SigningMode.SERVER)
    await hooks.wait_for(1)
    await asyncio.sleep(1.3)
    assert [event["event_type"] for event in hooks.events] == ["GO_TO_STATE_MANUAL_LOCK_REMOTE_NIGHT_LOCK"]


async def test_open_falls_back_to_day_lock(world, monkeypatch: pytest.MonkeyPatch) -> None:
    _cloud, client, hooks = world
    monkeypatch.setattr("simulator.cloud.OPEN_FALLBACK_SECONDS", 0.1)
    await client.send_command(Action.OPEN)
    events = await hooks.wait_for(3)
    assert [event["event_type"] for event in events][1:] == ["STATE_CHANGED_OPEN", "STATE_CHANGED_LATCH"]


@pytest.mark.parametrize(
    ("mutate", "reason"),
    [
        (lambda raw: raw[:20] + bytes([raw[20] ^ 1]) + raw[21:], "bad signature"),
        (lambda raw: raw[:42] + bytes([9]) + raw[43:], "wrong key id"),
        (lambda raw: raw[:30], "length 30"),
    ],
)
async def test_tampered_commands_are_refused(world, mutate: Any, reason: str) -> None:
    cloud, _client, _hooks = world
    lock = cloud.locks[0]
    raw = mutate(sign_command(lock.key, lock.local_key_id, Action.OPEN, int(time.time())))
    _action, problem = cloud._verify(lock, base64.b64encode(raw).decode())
    assert problem == reason


async def test_a_stale_timestamp_is_refused_and_the_client_names_the_clock(world) -> None:
    cloud, client, _hooks = world
    cloud.faults.clock_skew = 120
    with pytest.raises(LoqedClockSkewError):
        await client.send_command(Action.OPEN)
    assert cloud.counts["commands_accepted"] == 0


async def test_the_bridge_layout_is_accepted_too(world) -> None:
    cloud, _client, _hooks = world
    lock = cloud.locks[0]
    raw = bytes(8) + sign_command(lock.key, lock.local_key_id, Action.OPEN, int(time.time()))
    assert cloud._verify(lock, base64.b64encode(raw).decode()) == (1, "")


async def test_status_is_blocked_after_twelve_calls(world) -> None:
    cloud, client, _hooks = world
    for _ in range(12):
        await client.get_status()
    with pytest.raises(LoqedRateLimitedError):
        await client.get_status()
    assert cloud.counts == cloud.counts | {"status": 13, "status_refused": 1}


async def test_a_revoked_token_redirects_to_the_login_page(world) -> None:
    cloud, client, _hooks = world
    cloud.locks[0].token_revoked = True
    with pytest.raises(LoqedAuthError):
        await client.send_command(Action.OPEN, SigningMode.SERVER)
    with pytest.raises(LoqedAuthError):
        await client.get_status()


async def test_server_signed_urls_are_checked_against_the_api_key(world) -> None:
    cloud, client, _hooks = world
    cloud.locks[0].api_key = "another"
    with pytest.raises(LoqedNotFoundError):
        await client.send_command(Action.OPEN, SigningMode.SERVER)


async def test_fault_switches(world) -> None:
    cloud, client, hooks = world
    cloud.faults.update({"command_status": "503", "copy_delay": "0"})
    with pytest.raises(LoqedServerError):
        await client.send_command(Action.OPEN)
    cloud.faults.update({"command_status": 0})
    await client.send_command(Action.DAY_LOCK)
    await hooks.wait_for(2)
    await asyncio.sleep(0.3)
    assert [event["event_type"] for event in hooks.events] == ["GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH",
                                                                "STATE_CHANGED_LATCH"]  # fmt: skip
    with pytest.raises(KeyError):
        cloud.faults.update({"no_such_fault": 1})


async def test_by_default_each_event_comes_again_with_others_in_between(world, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sequence captured after OPEN: going, OPEN, the keyless latch, then the copies."""
    cloud, client, hooks = world
    monkeypatch.setattr("simulator.cloud.MOVE_SECONDS", 0.05)
    monkeypatch.setattr("simulator.cloud.OPEN_FALLBACK_SECONDS", 0.2)
    cloud.faults.update({"copy_delay": 0.4})
    await client.send_command(Action.OPEN)
    events = await hooks.wait_for(6)
    kinds = [event["event_type"] for event in events]
    opening = ["GO_TO_STATE_MANUAL_UNLOCK_REMOTE_OPEN", "STATE_CHANGED_OPEN", "STATE_CHANGED_LATCH"]
    assert kinds == opening * 2
    assert events[:3] == events[3:]  # byte for byte the same copies
    latch = events[2]
    assert (latch["key_local_id"], latch["key_name_user"]) == ("", "")  # no key moved it
    assert (latch["key_name_admin"], latch["key_account_name"]) == ("Anna", "Anna de Vries")  # yet the owner's


@pytest.mark.parametrize(
    ("control", "expected"),
    [
        ({"knob": "DAY_LOCK"}, [("STATE_CHANGED_LATCH", "", "")]),
        (
            {"button": True},
            [("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON", "", ""), ("STATE_CHANGED_OPEN", "", ""),
             ("STATE_CHANGED_LATCH", "", "")],
        ),
        (
            {"keypad": "Cleaner"},
            [("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN", "9", "Cleaner"),
             ("STATE_CHANGED_OPEN", "9", "Cleaner"), ("STATE_CHANGED_LATCH", "", "")],
        ),
        (
            {"touch_to_open": True},
            [("GO_TO_STATE_INSTANTOPEN_OPEN", "1", "Anna"), ("STATE_CHANGED_OPEN", "1", "Anna"),
             ("STATE_CHANGED_LATCH", "", "")],
        ),
    ],
)  # fmt: skip
async def test_people_at_the_door(
    world, monkeypatch: pytest.MonkeyPatch, control: dict[str, Any], expected: list[tuple[str, str, str]]
) -> None:
    cloud, _client, hooks = world
    monkeypatch.setattr("simulator.cloud.MOVE_SECONDS", 0.05)
    monkeypatch.setattr("simulator.cloud.OPEN_FALLBACK_SECONDS", 0.1)
    cloud.faults.update({"copy_delay": 0})
    app_request = make_mocked_control(cloud, {"lock": 0, **control})
    assert (await cloud.control_post(app_request)).status == 200
    events = await hooks.wait_for(len(expected))
    assert [(e["event_type"], e["key_local_id"], e["key_name_user"]) for e in events] == expected
    if "keypad" in control:
        assert (events[0]["key_account_name"], events[0]["key_account_email"]) == ("", "")


async def test_reports_come_as_separate_events(world) -> None:
    cloud, _client, hooks = world
    cloud.faults.update({"copy_delay": 0})
    response = await cloud.control_post(make_mocked_control(cloud, {"lock": 0, "report": True}))
    assert response.status == 200
    events = await hooks.wait_for(3)
    assert [sorted(set(event) - {"lock_id"}) for event in events] == [
        ["battery_percentage"],
        ["ble_strength", "wifi_strength"],
        ["online"],
    ]
    going_offline = make_mocked_control(cloud, {"lock": 0, "set": {"lock_online": False}})
    assert (await cloud.control_post(going_offline)).status == 200
    events = await hooks.wait_for(4)
    assert events[3] == {"lock_id": int(cloud.locks[0].old_lock_id), "online": "0"}


async def test_the_knob_only_locks_or_unlocks(world) -> None:
    cloud, _client, _hooks = world
    response = await cloud.control_post(make_mocked_control(cloud, {"lock": 0, "knob": "OPEN"}))
    assert response.status == 400


async def test_the_portal_texts_point_at_the_simulator(world) -> None:
    cloud, _client, _hooks = world
    described = cloud.describe(cloud.locks[0])
    assert described["urls"]["status"].startswith(cloud.base_url)
    assert described["integration_information"]["lock_id"] == cloud.locks[0].lock_id


async def test_the_portal_page_gives_every_credential_to_paste(world) -> None:
    """GET /portal/N is what a user copies from the LOQED portal when adding a lock by hand."""
    cloud, _client, _hooks = world
    lock = cloud.locks[0]
    page = await cloud.portal(make_mocked_request("GET", "/portal/0", match_info={"index": "0"}))
    assert page.status == 200
    assert parse_credentials(page.text) == Credentials(
        api_token=lock.api_token,
        lock_id=lock.lock_id,
        old_lock_id=lock.old_lock_id,
        local_key_id=lock.local_key_id,
        key=base64.b64encode(lock.key).decode(),
        api_key=lock.api_key,
    )
    missing = await cloud.portal(make_mocked_request("GET", "/portal/1", match_info={"index": "1"}))
    assert missing.status == 404
