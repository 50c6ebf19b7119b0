"""Each shipped blueprint acts once per real movement of the lock, never on Home Assistant's own doings.

Home Assistant shows the lock's entities as unavailable during a reload of the entry and while
LOQED reports the lock offline, and then brings them back with their last (restored) state; at a
restart it restores them. None of that is news. LOQED delivers each event twice, about 4 s apart,
with other events in between, and fills the owner's names into keyless events.
"""

import json
import logging
import shutil
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.automation import DOMAIN as AUTOMATION_DOMAIN
from homeassistant.config_entries import ConfigEntryDisabler, ConfigEntryState
from homeassistant.core import CoreState, HomeAssistant, ServiceCall, State
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import parse_yaml
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
    mock_restore_cache_with_extra_data,
)
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN

from .conftest import COMMAND_URL, LOCK_ENTITY, LOCK_ID, OLD_LOCK_ID, WEBHOOK_ID, stored_lock
from .test_blueprints import BLUEPRINTS, advance, automate, settle

ACTIVITY = "event.loqed_6148_activity"
BATTERY = "sensor.loqed_6148_battery"
LOCK_ONLINE = "binary_sensor.loqed_6148_lock_online"

# What LOQED sends: the owner's names on every event, keyless ones too.
OWNER = {"key_name_admin": "Anna", "key_account_name": "Anna de Vries", "key_account_email": "anna@example.com"}
ANNA = {"key_local_id": "3", "key_name_user": "Anna", **OWNER}
BOB = {"key_local_id": "4", "key_name_user": "Bob", **OWNER}
CLEANER = {"key_local_id": "7", "key_name_user": "Cleaner", "key_account_name": "", "key_account_email": ""}
KEYLESS = {"key_local_id": "", "key_name_user": "", **OWNER}
HOME_ASSISTANT = {"key_local_id": "200", "key_name_user": "Home Assistant", **OWNER}

type Deliveries = tuple[tuple[float, dict[str, Any]], ...]  # (seconds after the one before, body)


def going(event_type: str, who: dict[str, Any], state: str) -> dict[str, Any]:
    return {"event_type": event_type, "go_to_state": state, **who, "value1": event_type}


def reached(event_type: str, who: dict[str, Any], state: str) -> dict[str, Any]:
    return {"event_type": event_type, "requested_state": state, **who, "value1": event_type}


def moved(going_to: dict[str, Any], arrived: dict[str, Any]) -> Deliveries:
    """A movement without OPEN, as LOQED delivers it: both events, then their copies ~4 s later."""
    return ((0.0, going_to), (0.5, arrived), (4.0, going_to), (0.5, arrived))


def opened(going_to: dict[str, Any], who: dict[str, Any]) -> Deliveries:
    """An opening as captured from a real account: the latch falls back by itself ~3 s after OPEN."""
    arrived = reached("STATE_CHANGED_OPEN", who, "OPEN")
    latched = reached("STATE_CHANGED_LATCH", KEYLESS, "DAY_LOCK")
    return ((0.0, going_to), (0.5, arrived), (3.0, latched), (1.0, going_to), (0.5, arrived), (2.5, latched))


def reported(body: dict[str, Any]) -> Deliveries:
    """A report (online, signal, battery), delivered twice like everything else."""
    return ((0.0, body), (4.0, body))


BOB_UNLOCKS_REMOTELY = moved(
    going("GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH", BOB, "DAY_LOCK"), reached("STATE_CHANGED_LATCH", BOB, "DAY_LOCK")
)
BOB_LOCKS_REMOTELY = moved(
    going("GO_TO_STATE_MANUAL_LOCK_REMOTE_NIGHT_LOCK", BOB, "NIGHT_LOCK"),
    reached("STATE_CHANGED_NIGHT_LOCK", BOB, "NIGHT_LOCK"),
)
CLEANER_OPENS_WITH_A_CODE = opened(going("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN", CLEANER, "OPEN"), CLEANER)
SOMEONE_OPENS_WITH_THE_BUTTON = opened(
    going("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON", KEYLESS, "OPEN"), KEYLESS
)
ANNA_OPENS_WITH_TOUCH_TO_OPEN = opened(going("GO_TO_STATE_INSTANTOPEN_OPEN", ANNA, "OPEN"), ANNA)
ANNA_UNLOCKS_WITH_THE_APP = moved(
    going("GO_TO_STATE_MANUAL_LOCK_BLE_LATCH", ANNA, "DAY_LOCK"), reached("STATE_CHANGED_LATCH", ANNA, "DAY_LOCK")
)
KNOB_LOCKS = reported(reached("STATE_CHANGED_NIGHT_LOCK", KEYLESS, "NIGHT_LOCK"))
KNOB_UNLOCKS = reported(reached("STATE_CHANGED_LATCH", KEYLESS, "DAY_LOCK"))
HOME_ASSISTANT_LOCKED = reported(reached("STATE_CHANGED_NIGHT_LOCK", HOME_ASSISTANT, "NIGHT_LOCK"))
HOME_ASSISTANT_UNLOCKS = moved(
    going("GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH", HOME_ASSISTANT, "DAY_LOCK"),
    reached("STATE_CHANGED_LATCH", HOME_ASSISTANT, "DAY_LOCK"),
)

OFFLINE = reported({"online": "0"})
OFFLINE_BY_SIGNAL = reported({"wifi_strength": -1, "ble_strength": -1, "battery_percentage": -1})  # LOQED's "offline"
ONLINE = reported({"online": "1"})

SOMEONE_ELSE = {"activity": ACTIVITY, "my_names": ["Anna", "Home Assistant"]}
LOCK_AGAIN = {"lock": LOCK_ENTITY, "minutes": 10}
BATTERY_OR_OFFLINE = {"battery": BATTERY, "online": LOCK_ONLINE, "threshold": 20, "offline_minutes": 10}
TOLD_BATTERY = "The lock's battery is at 19 %."
TOLD_OFFLINE = "LOQED reports the lock offline: it cannot be operated from Home Assistant."


# Where Home Assistant reports trouble with an automation: its templates, conditions, runs.
AUTOMATION_LOGGERS = (
    "homeassistant.components.automation",
    "homeassistant.components.blueprint",
    "homeassistant.helpers",
)


@pytest.fixture(autouse=True)
async def nothing_to_complain_about(hass: HomeAssistant, caplog: pytest.LogCaptureFixture) -> AsyncIterator[None]:
    """No template warnings or automation errors, also while the lock's entities are unavailable."""
    yield
    for entry in hass.config_entries.async_entries(DOMAIN):
        if entry.state is ConfigEntryState.LOADED:  # unloaded, the entities are unavailable once more
            assert await hass.config_entries.async_unload(entry.entry_id)
    await settle()
    records = [*caplog.get_records("setup"), *caplog.get_records("call"), *caplog.records]  # this one: teardown
    complaints = [
        record.getMessage()
        for record in records
        if record.levelno >= logging.WARNING and record.name.startswith(AUTOMATION_LOGGERS)
    ]
    assert complaints == []


@pytest.fixture(autouse=True)
def blueprints_in_config(hass: HomeAssistant, tmp_path: Path) -> None:
    """Put the shipped blueprints where Home Assistant looks for them."""
    hass.config.config_dir = str(tmp_path)
    shutil.copytree(BLUEPRINTS, tmp_path / "blueprints")


@pytest.fixture
def notifications(hass: HomeAssistant) -> list[ServiceCall]:
    return async_mock_service(hass, "notify", "notify")


@pytest.fixture
async def client(hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any) -> TestClient:
    return await hass_client_no_auth()  # type: ignore[no-any-return]


async def deliver(hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, sent: Deliveries) -> None:
    """Deliver as LOQED does, then let a minute pass: the next movement is no copy of this one."""
    for after, body in sent:
        await advance(hass, freezer, timedelta(seconds=after))
        response = await client.post(
            f"/api/webhook/{WEBHOOK_ID}", data=json.dumps({"lock_id": int(OLD_LOCK_ID), **body})
        )
        assert response.status == 200
    await advance(hass, freezer, timedelta(minutes=1))


async def advance_to(hass: HomeAssistant, freezer: FrozenDateTimeFactory, moment: datetime) -> None:
    """Move the frozen clock on to `moment`."""
    assert moment > dt_util.utcnow()
    await advance(hass, freezer, moment - dt_util.utcnow())


def told(notifications: list[ServiceCall]) -> list[str]:
    return [call.data["message"] for call in notifications]


def lock_commands(aioclient_mock: AiohttpClientMocker) -> int:
    return sum(1 for call in aioclient_mock.mock_calls if str(call[1]).startswith(COMMAND_URL))


def state(hass: HomeAssistant, entity_id: str) -> str:
    return hass.states.get(entity_id).state  # type: ignore[union-attr]


async def reload(hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry, how: str) -> None:
    """Reload the entry, or disable and enable it or its entities: they leave and come back restored."""
    if how == "reload":
        assert await hass.config_entries.async_reload(entry.entry_id)
    elif how == "entry disabled and enabled":
        assert await hass.config_entries.async_set_disabled_by(entry.entry_id, ConfigEntryDisabler.USER)
        await settle()
        assert await hass.config_entries.async_set_disabled_by(entry.entry_id, None)
    else:  # disabled, an entity leaves the state machine; enabled, it comes back when the entry reloads
        registry = er.async_get(hass)
        entities = er.async_entries_for_config_entry(registry, entry.entry_id)
        for disabled_by in (er.RegistryEntryDisabler.USER, None):
            for entity in entities:
                registry.async_update_entity(entity.entity_id, disabled_by=disabled_by)
            await settle()
        assert hass.states.get(ACTIVITY) is None
        await advance(hass, freezer, timedelta(seconds=31))  # Home Assistant reloads the entry 30 s later
        assert hass.states.get(ACTIVITY) is not None
    await settle()


async def restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    hass_client_no_auth: Any,
    automation: tuple[str, dict[str, Any]],
    *,
    entry_ready: str,
    **stored: Any,
) -> TestClient:
    """Start Home Assistant the way it starts after a restart, with what the last run left behind.

    At a start, Home Assistant sets up the automations and the integrations while it is not
    running yet; an automation arms its triggers only when the start is wrapped up. At the start,
    every registered entity not set up yet is shown unavailable ("restored"). An entry set up
    later (its setup outlasted the start's time limits) shows its entities only after that.
    """
    hass_storage[f"{DOMAIN}.{LOCK_ID}"] = stored_lock(**stored)
    # The Activity entity last fired for Bob's remote unlock, an hour before the restart.
    bob = {"state": "DAY_LOCK", "method": "remote", "key_id": 4, "user_name": "Bob", "account_name": "Anna de Vries",
           "admin_name": "Anna", "remote": True}  # fmt: skip
    fired_at = (dt_util.utcnow() - timedelta(hours=1)).isoformat(timespec="milliseconds")
    mock_restore_cache_with_extra_data(
        hass,
        [
            (
                State(ACTIVITY, fired_at, {"event_type": "unlock", **bob}),
                {"last_event_type": "unlock", "last_event_attributes": bob},
            )
        ],
    )
    registry = er.async_get(hass)
    for domain, key, object_id in (
        ("event", "activity", "loqed_6148_activity"),
        ("lock", "lock", "loqed_6148"),
        ("sensor", "battery", "loqed_6148_battery"),
        ("binary_sensor", "lock_online", "loqed_6148_lock_online"),
    ):
        registry.async_get_or_create(
            domain, DOMAIN, f"{LOCK_ID}-{key}", suggested_object_id=object_id, config_entry=entry
        )

    hass.set_state(CoreState.not_running)
    assert await async_setup_component(hass, "webhook", {})
    await automate(hass, *automation)
    if entry_ready == "before the start":
        assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_start()
    await settle()
    assert hass.state is CoreState.running
    if entry_ready == "after the start":
        assert state(hass, ACTIVITY) == "unavailable"  # shown by Home Assistant until the entry is set up
        assert await hass.config_entries.async_setup(entry.entry_id)
        await settle()
    return await hass_client_no_auth()  # type: ignore[no-any-return]


async def interrupt(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, entry: MockConfigEntry, how: str
) -> None:
    """Make the lock's entities unavailable and bring them back: offline and online, or a reload."""
    if how in RELOADS:
        await reload(hass, freezer, entry, how)
        return
    await deliver(hass, client, freezer, OFFLINE if how == "online 0" else OFFLINE_BY_SIGNAL)
    assert state(hass, LOCK_ENTITY) == "unavailable"
    await deliver(hass, client, freezer, ONLINE)


RELOADS = ("reload", "entry disabled and enabled", "entities disabled and enabled")
INTERRUPTIONS = ("online 0", "wifi_strength -1", *RELOADS)
RESTARTS = pytest.mark.parametrize(
    ("entry_ready", "lock_online"),
    [
        pytest.param(ready, online, id=f"entry ready {ready}, lock {'online' if online else 'offline'}")
        for ready in ("before the start", "after the start")
        for online in (True, False)
    ],
)


# --- someone_else_opened.yaml ------------------------------------------------------------------


async def test_someone_else_is_told_once_per_movement_despite_loqeds_copies(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, notifications: list[ServiceCall]
) -> None:
    await automate(hass, "someone_else_opened.yaml", SOMEONE_ELSE)
    for movement in (
        BOB_UNLOCKS_REMOTELY,
        KNOB_LOCKS,
        KNOB_UNLOCKS,
        CLEANER_OPENS_WITH_A_CODE,
        SOMEONE_OPENS_WITH_THE_BUTTON,
    ):
        await deliver(hass, client, freezer, movement)
    assert told(notifications) == [
        "Bob unlocked the door remotely.",
        "Cleaner opened the door with the keypad.",
        "Someone opened the door with the outside button.",
    ]
    assert {call.data["title"] for call in notifications} == {"LOQED 6148 Activity"}


async def test_my_own_movements_are_not_told(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, notifications: list[ServiceCall]
) -> None:
    await automate(hass, "someone_else_opened.yaml", SOMEONE_ELSE)
    for movement in (
        ANNA_OPENS_WITH_TOUCH_TO_OPEN,
        HOME_ASSISTANT_LOCKED,
        ANNA_UNLOCKS_WITH_THE_APP,
        HOME_ASSISTANT_LOCKED,
        HOME_ASSISTANT_UNLOCKS,
    ):
        await deliver(hass, client, freezer, movement)
    last = hass.states.get(ACTIVITY).attributes  # type: ignore[union-attr]
    assert (last["event_type"], last["user_name"]) == ("unlock", "Home Assistant")  # the movements arrived
    assert told(notifications) == []


async def test_the_first_movement_the_activity_ever_shows_is_told(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, notifications: list[ServiceCall]
) -> None:
    """Unknown is no restored state: an event entity restores before its first write."""
    await automate(hass, "someone_else_opened.yaml", SOMEONE_ELSE)
    assert state(hass, ACTIVITY) == "unknown"
    await deliver(hass, client, freezer, reported(reached("STATE_CHANGED_LATCH", BOB, "DAY_LOCK")))  # no "going to"
    assert told(notifications) == ["Bob unlocked the door."]


@pytest.mark.parametrize("how", RELOADS)
async def test_someone_else_is_not_told_again_after_a_reload(
    hass: HomeAssistant,
    client: TestClient,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
    how: str,
) -> None:
    await automate(hass, "someone_else_opened.yaml", SOMEONE_ELSE)
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)
    await reload(hass, freezer, loaded, how)
    assert hass.states.get(ACTIVITY).attributes["user_name"] == "Bob"  # type: ignore[union-attr]  # restored
    await deliver(hass, client, freezer, CLEANER_OPENS_WITH_A_CODE)
    assert told(notifications) == ["Bob unlocked the door remotely.", "Cleaner opened the door with the keypad."]


@pytest.mark.parametrize("offline", [OFFLINE, OFFLINE_BY_SIGNAL], ids=["online 0", "wifi_strength -1"])
async def test_someone_else_is_not_told_again_when_the_lock_comes_back_online(
    hass: HomeAssistant,
    client: TestClient,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
    offline: Deliveries,
) -> None:
    await automate(hass, "someone_else_opened.yaml", SOMEONE_ELSE)
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)
    await deliver(hass, client, freezer, offline)
    assert state(hass, ACTIVITY) == "unavailable"
    await deliver(hass, client, freezer, ONLINE)
    await deliver(hass, client, freezer, CLEANER_OPENS_WITH_A_CODE)
    assert told(notifications) == ["Bob unlocked the door remotely.", "Cleaner opened the door with the keypad."]


@RESTARTS
async def test_someone_else_is_not_told_the_restored_event_after_a_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    external_url: None,
    hass_client_no_auth: Any,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
    entry_ready: str,
    lock_online: bool,
) -> None:
    automation = ("someone_else_opened.yaml", SOMEONE_ELSE)
    client = await restart(
        hass, hass_storage, entry, hass_client_no_auth, automation, entry_ready=entry_ready, lock_online=lock_online
    )
    await deliver(hass, client, freezer, ONLINE)
    assert hass.states.get(ACTIVITY).attributes["user_name"] == "Bob"  # type: ignore[union-attr]  # restored
    await deliver(hass, client, freezer, CLEANER_OPENS_WITH_A_CODE)
    assert told(notifications) == ["Cleaner opened the door with the keypad."]


def readme_example() -> dict[str, Any]:
    """Return the configuration the README gives as its example."""
    readme = (BLUEPRINTS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Example: tell me when someone else opens the door", 1)[1]
    example: dict[str, Any] = parse_yaml(section.split("```yaml\n", 1)[1].split("```", 1)[0])
    return example


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
async def test_the_readme_example_tells_each_movement_once(
    hass: HomeAssistant,
    client: TestClient,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
    interruption: str,
) -> None:
    assert await async_setup_component(hass, AUTOMATION_DOMAIN, readme_example())
    await settle()
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)
    await interrupt(hass, client, freezer, loaded, interruption)
    await deliver(hass, client, freezer, ANNA_OPENS_WITH_TOUCH_TO_OPEN)
    await deliver(hass, client, freezer, CLEANER_OPENS_WITH_A_CODE)
    assert told(notifications) == ["Bob unlocked the front door.", "Cleaner opened the front door."]


# --- lock_again_after.yaml ---------------------------------------------------------------------


@pytest.fixture
def commands_taken(aioclient_mock: AiohttpClientMocker) -> AiohttpClientMocker:
    aioclient_mock.get(COMMAND_URL, text="{}")
    return aioclient_mock


async def test_lock_again_locks_once_after_a_real_unlock_despite_loqeds_copies(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, commands_taken: AiohttpClientMocker
) -> None:
    await automate(hass, "lock_again_after.yaml", LOCK_AGAIN)
    unlocked_at = dt_util.utcnow()
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=9, seconds=59))
    assert lock_commands(commands_taken) == 0
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=10, seconds=1))
    assert lock_commands(commands_taken) == 1
    await deliver(hass, client, freezer, HOME_ASSISTANT_LOCKED)
    await advance(hass, freezer, timedelta(minutes=30))
    assert lock_commands(commands_taken) == 1
    assert state(hass, LOCK_ENTITY) == "locked"


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
async def test_lock_again_counts_from_the_real_unlock_through_an_interruption(
    hass: HomeAssistant,
    client: TestClient,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    commands_taken: AiohttpClientMocker,
    interruption: str,
) -> None:
    """Three minutes after the unlock the lock drops offline, or the entry reloads: the count goes on."""
    await automate(hass, "lock_again_after.yaml", LOCK_AGAIN)
    unlocked_at = dt_util.utcnow()
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=3))
    await interrupt(hass, client, freezer, loaded, interruption)
    assert state(hass, LOCK_ENTITY) == "unlocked"
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=9, seconds=59))
    assert lock_commands(commands_taken) == 0
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=10, seconds=1))
    assert lock_commands(commands_taken) == 1
    await deliver(hass, client, freezer, HOME_ASSISTANT_LOCKED)
    await advance(hass, freezer, timedelta(minutes=30))
    assert lock_commands(commands_taken) == 1


@pytest.mark.parametrize("interruption", INTERRUPTIONS)
async def test_lock_again_starts_no_count_when_the_lock_comes_back(
    hass: HomeAssistant,
    client: TestClient,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    commands_taken: AiohttpClientMocker,
    interruption: str,
) -> None:
    """The door stood unlocked when the automation was (re)loaded: the lock coming back is no new unlock."""
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)
    await automate(hass, "lock_again_after.yaml", LOCK_AGAIN)
    await interrupt(hass, client, freezer, loaded, interruption)
    assert state(hass, LOCK_ENTITY) == "unlocked"
    await advance(hass, freezer, timedelta(minutes=30))
    assert lock_commands(commands_taken) == 0
    await deliver(hass, client, freezer, BOB_LOCKS_REMOTELY)
    unlocked_at = dt_util.utcnow()
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)  # a real unlock still counts
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=10, seconds=1))
    assert lock_commands(commands_taken) == 1


@pytest.mark.parametrize("away", ["offline", "disabled"])
async def test_lock_again_locks_a_lock_away_when_the_minutes_are_up_once_it_is_back(
    hass: HomeAssistant,
    client: TestClient,
    freezer: FrozenDateTimeFactory,
    commands_taken: AiohttpClientMocker,
    away: str,
) -> None:
    """Offline, or its entity disabled, the lock cannot be commanded: it is locked when it is back."""
    await automate(hass, "lock_again_after.yaml", LOCK_AGAIN)
    registry = er.async_get(hass)
    unlocked_at = dt_util.utcnow()
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=9))
    if away == "offline":
        await deliver(hass, client, freezer, OFFLINE)
    else:
        registry.async_update_entity(LOCK_ENTITY, disabled_by=er.RegistryEntryDisabler.USER)
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=20))
    assert lock_commands(commands_taken) == 0
    if away == "offline":
        await deliver(hass, client, freezer, ONLINE)
    else:
        registry.async_update_entity(LOCK_ENTITY, disabled_by=None)
        await advance(hass, freezer, timedelta(seconds=31))  # Home Assistant reloads the entry 30 s later
    assert lock_commands(commands_taken) == 1
    await deliver(hass, client, freezer, HOME_ASSISTANT_LOCKED)
    await advance(hass, freezer, timedelta(minutes=30))
    assert lock_commands(commands_taken) == 1


@RESTARTS
async def test_lock_again_starts_no_count_at_a_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    external_url: None,
    hass_client_no_auth: Any,
    freezer: FrozenDateTimeFactory,
    commands_taken: AiohttpClientMocker,
    entry_ready: str,
    lock_online: bool,
) -> None:
    automation = ("lock_again_after.yaml", LOCK_AGAIN)
    client = await restart(
        hass,
        hass_storage,
        entry,
        hass_client_no_auth,
        automation,
        entry_ready=entry_ready,
        lock_online=lock_online,
        bolt_state="day_lock",
    )
    await deliver(hass, client, freezer, ONLINE)
    assert state(hass, LOCK_ENTITY) == "unlocked"
    await advance(hass, freezer, timedelta(minutes=30))
    assert lock_commands(commands_taken) == 0
    await deliver(hass, client, freezer, BOB_LOCKS_REMOTELY)
    unlocked_at = dt_util.utcnow()
    await deliver(hass, client, freezer, BOB_UNLOCKS_REMOTELY)  # a real unlock still counts
    await advance_to(hass, freezer, unlocked_at + timedelta(minutes=10, seconds=1))
    assert lock_commands(commands_taken) == 1


# --- battery_or_offline.yaml -------------------------------------------------------------------


async def test_battery_or_offline_tells_each_low_battery_and_outage_once_despite_loqeds_copies(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, notifications: list[ServiceCall]
) -> None:
    await automate(hass, "battery_or_offline.yaml", BATTERY_OR_OFFLINE)
    await deliver(hass, client, freezer, reported({"battery_percentage": 21}))
    await deliver(hass, client, freezer, reported({"battery_percentage": 19}))
    await deliver(hass, client, freezer, OFFLINE)
    await advance(hass, freezer, timedelta(minutes=30))
    await deliver(hass, client, freezer, ONLINE)
    await deliver(hass, client, freezer, OFFLINE_BY_SIGNAL)
    await advance(hass, freezer, timedelta(minutes=30))
    assert told(notifications) == [TOLD_BATTERY, TOLD_OFFLINE, TOLD_OFFLINE]
    assert {call.data["title"] for call in notifications} == {"LOQED 6148 Battery", "LOQED 6148 Lock online"}


async def test_battery_or_offline_tells_nothing_when_the_lock_comes_back_online(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory, notifications: list[ServiceCall]
) -> None:
    await automate(hass, "battery_or_offline.yaml", BATTERY_OR_OFFLINE)
    await deliver(hass, client, freezer, reported({"battery_percentage": 19}))
    for offline in (OFFLINE, OFFLINE_BY_SIGNAL):
        await deliver(hass, client, freezer, offline)
        assert state(hass, BATTERY) == "unavailable"
        await deliver(hass, client, freezer, ONLINE)  # a short drop
        await deliver(hass, client, freezer, reported({"battery_percentage": 19}))
    await advance(hass, freezer, timedelta(minutes=30))
    assert state(hass, BATTERY) == "19"
    assert told(notifications) == [TOLD_BATTERY]


@pytest.mark.parametrize("how", RELOADS)
async def test_battery_or_offline_tells_nothing_again_after_a_reload(
    hass: HomeAssistant,
    client: TestClient,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
    how: str,
) -> None:
    await automate(hass, "battery_or_offline.yaml", BATTERY_OR_OFFLINE)
    await deliver(hass, client, freezer, reported({"battery_percentage": 19}))
    await deliver(hass, client, freezer, OFFLINE)
    await advance(hass, freezer, timedelta(minutes=10))
    assert told(notifications) == [TOLD_BATTERY, TOLD_OFFLINE]
    await reload(hass, freezer, loaded, how)
    assert state(hass, LOCK_ONLINE) == "off"
    await advance(hass, freezer, timedelta(minutes=30))
    await deliver(hass, client, freezer, ONLINE)
    assert told(notifications) == [TOLD_BATTERY, TOLD_OFFLINE]


async def test_battery_or_offline_counts_an_outage_from_its_start_through_a_reload(
    hass: HomeAssistant,
    client: TestClient,
    loaded: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
) -> None:
    await automate(hass, "battery_or_offline.yaml", BATTERY_OR_OFFLINE)
    await deliver(hass, client, freezer, OFFLINE)  # offline, then a minute and 4 s pass
    await advance(hass, freezer, timedelta(minutes=2))
    await reload(hass, freezer, loaded, "reload")
    assert told(notifications) == []
    await advance(hass, freezer, timedelta(minutes=7))  # 10 minutes and 4 s after the lock went offline
    assert told(notifications) == [TOLD_OFFLINE]
    await advance(hass, freezer, timedelta(minutes=30))
    assert told(notifications) == [TOLD_OFFLINE]


@RESTARTS
async def test_battery_or_offline_tells_nothing_again_at_a_restart(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    entry: MockConfigEntry,
    external_url: None,
    hass_client_no_auth: Any,
    freezer: FrozenDateTimeFactory,
    notifications: list[ServiceCall],
    entry_ready: str,
    lock_online: bool,
) -> None:
    """The last run told of the low battery (and of the outage, when the lock is still offline)."""
    automation = ("battery_or_offline.yaml", BATTERY_OR_OFFLINE)
    client = await restart(
        hass,
        hass_storage,
        entry,
        hass_client_no_auth,
        automation,
        entry_ready=entry_ready,
        lock_online=lock_online,
        battery_percentage=19,
    )
    await advance(hass, freezer, timedelta(minutes=30))
    await deliver(hass, client, freezer, ONLINE)
    assert state(hass, BATTERY) == "19"
    await advance(hass, freezer, timedelta(minutes=30))
    assert told(notifications) == []
    await deliver(hass, client, freezer, OFFLINE)  # a new outage is news
    await advance(hass, freezer, timedelta(minutes=10))
    assert told(notifications) == [TOLD_OFFLINE]
