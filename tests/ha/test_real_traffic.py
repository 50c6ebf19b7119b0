"""What real LOQED accounts send in 2026 (API reference, "Real 2026 traffic, in detail").

Keyless movements carry the owner's names, each event comes twice about 4 s apart with other
events in between, and the "going to" event names how the lock was moved.
"""

import json
from datetime import timedelta
from email.utils import formatdate
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.components.lock import DOMAIN as LOCK_DOMAIN
from homeassistant.const import ATTR_ENTITY_ID, EVENT_STATE_CHANGED
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers.translation import async_get_translations
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import DOMAIN, EVENT_OPERATED
from custom_components.loqed_web.logbook import async_describe_events

from .conftest import COMMAND_URL, LOCK_ENTITY, OLD_LOCK_ID, WEBHOOK_ID, advance

ACTIVITY = "event.loqed_6148_activity"
LAST_OPERATED_BY = "sensor.loqed_6148_last_operated_by"
# Filled in by LOQED on every event, keyless ones too: they name the lock's owner.
OWNER = {"key_name_admin": "Anna", "key_account_name": "Anna de Vries", "key_account_email": "anna@example.com"}
ANNA = {"key_local_id": "3", "key_name_user": "Anna", **OWNER, "value3": "anna@example.com"}
KEYLESS = {"key_local_id": "", "key_name_user": "", **OWNER, "value3": "anna@example.com"}
HOME_ASSISTANT_KEY = {"key_local_id": "200", "key_name_user": "Home Assistant", **OWNER}


def event(event_type: str, who: dict[str, Any], **state: str) -> bytes:
    """Return a body as real LOQED sends it: numeric lock id, string key id, extras."""
    body = {"lock_id": int(OLD_LOCK_ID), **state, "event_type": event_type, **who, "value1": event_type}
    return json.dumps(body).encode()


TOUCH_TO_OPEN = event("GO_TO_STATE_INSTANTOPEN_OPEN", ANNA, go_to_state="OPEN")
OPENED = event("STATE_CHANGED_OPEN", ANNA, requested_state="OPEN")
LATCHED_BY_ITSELF = event("STATE_CHANGED_LATCH", KEYLESS, requested_state="DAY_LOCK")


@pytest.fixture
async def client(hass: HomeAssistant, loaded: MockConfigEntry, hass_client_no_auth: Any) -> TestClient:
    return await hass_client_no_auth()  # type: ignore[no-any-return]


async def deliver(client: TestClient, body: bytes) -> None:
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body)
    assert response.status == 200


def activity_fired(hass: HomeAssistant, changes: list[Event[Any]]) -> list[tuple[str, str]]:
    """Return (event_type, method) of each time the Activity entity fired."""
    return [
        (change.data["new_state"].attributes["event_type"], change.data["new_state"].attributes["method"])
        for change in changes
        if change.data["entity_id"] == ACTIVITY
    ]


def logbook_lines(hass: HomeAssistant, announced: list[Event[Any]]) -> list[str]:
    described: dict[Any, Any] = {}
    async_describe_events(hass, lambda domain, name, describe: described.update({(domain, name): describe}))
    describe = described[(DOMAIN, EVENT_OPERATED)]
    # As the logbook shows a line of an entity: the entity's name, then the line's message.
    return [f"{event.data['name']} {describe(event)['message']}" for event in announced]


def attribute(hass: HomeAssistant, entity_id: str, name: str) -> Any:
    return hass.states.get(entity_id).attributes[name]  # type: ignore[union-attr]


def state(hass: HomeAssistant, entity_id: str = LOCK_ENTITY) -> str:
    return hass.states.get(entity_id).state  # type: ignore[union-attr]


async def test_touch_to_open_with_interleaved_copies_is_told_once(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    announced = async_capture_events(hass, EVENT_OPERATED)
    # The captured sequence: go to OPEN, OPEN, the latch ~3 s later, the copies of the first
    # two ~4 s after them, and the copy of the latch ~7 s after OPEN.
    for after, body in (
        (0.0, TOUCH_TO_OPEN),
        (0.5, OPENED),
        (3.0, LATCHED_BY_ITSELF),
        (1.0, TOUCH_TO_OPEN),
        (0.5, OPENED),
        (2.5, LATCHED_BY_ITSELF),
    ):
        await advance(hass, freezer, timedelta(seconds=after))
        await deliver(client, body)
    await hass.async_block_till_done()

    assert activity_fired(hass, changes) == [
        ("going_to_open", "touch_to_open"),
        ("open", "touch_to_open"),
        ("unlock", "automatic"),
    ]
    assert logbook_lines(hass, announced) == ["LOQED 6148 Opened · Anna · Touch to Open"]  # the latch is part of it
    assert state(hass) == "unlocked"
    # The latch is a consequence of Anna's opening, not a new operator: who opened the door
    # (and how) stays, while Activity still reports the latch for automations that want it.
    assert attribute(hass, LOCK_ENTITY, "changed_by") == "Anna"
    assert attribute(hass, LOCK_ENTITY, "method") == "touch_to_open"
    assert state(hass, LAST_OPERATED_BY) == "Anna"
    assert attribute(hass, LAST_OPERATED_BY, "method") == "touch_to_open"
    latch = [change.data["new_state"].attributes for change in changes if change.data["entity_id"] == ACTIVITY][-1]
    assert (latch["user_name"], latch["account_name"], latch["admin_name"], latch["key_id"]) == (None,) * 4


@pytest.mark.parametrize("key_id", ["", None, "255", 255])
async def test_a_knob_turn_credits_nobody(hass: HomeAssistant, client: TestClient, key_id: str | int | None) -> None:
    announced = async_capture_events(hass, EVENT_OPERATED)
    await deliver(client, event("STATE_CHANGED_LATCH", {**KEYLESS, "key_local_id": key_id}, requested_state="DAY_LOCK"))
    await hass.async_block_till_done()
    assert state(hass) == "unlocked"
    assert attribute(hass, LOCK_ENTITY, "changed_by") == "manual"
    assert state(hass, LAST_OPERATED_BY) == "manual"
    assert attribute(hass, ACTIVITY, "method") == "knob"
    assert attribute(hass, ACTIVITY, "user_name") is None
    assert logbook_lines(hass, announced) == ["LOQED 6148 Unlocked · By hand (knob)"]


async def test_a_keyless_latch_long_after_open_is_the_knob(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    await deliver(client, OPENED)
    await advance(hass, freezer, timedelta(seconds=11))
    await deliver(client, LATCHED_BY_ITSELF)
    assert attribute(hass, LOCK_ENTITY, "method") == "knob"
    assert attribute(hass, LOCK_ENTITY, "changed_by") == "manual"


@pytest.mark.parametrize(
    ("going_type", "who", "changed_by", "method", "line"),
    [
        (
            "GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON",
            KEYLESS,
            "manual",
            "outside_button",
            "LOQED 6148 Opened · Outside button",
        ),
        (
            "GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN",
            {"key_local_id": "7", "key_name_user": "Cleaner", "key_account_name": "", "key_account_email": ""},
            "Cleaner",
            "keypad",
            "LOQED 6148 Opened · Cleaner · Keypad",
        ),
        ("GO_TO_STATE_MANUAL_UNLOCK_BLE_OPEN", ANNA, "Anna", "app", "LOQED 6148 Opened · Anna · LOQED app (Bluetooth)"),
        ("GO_TO_STATE_MANUAL_UNLOCK_REMOTE_OPEN", ANNA, "Anna", "remote", "LOQED 6148 Opened · Anna · Remote"),
        ("GO_TO_STATE_TWIST_ASSIST_OPEN", KEYLESS, "manual", "knob", "LOQED 6148 Opened · By hand (knob)"),
    ],
)
async def test_how_the_lock_was_opened_comes_from_the_going_to_event(
    hass: HomeAssistant,
    client: TestClient,
    going_type: str,
    who: dict[str, Any],
    changed_by: str,
    method: str,
    line: str,
) -> None:
    announced = async_capture_events(hass, EVENT_OPERATED)
    await deliver(client, event(going_type, who, go_to_state="OPEN"))
    await deliver(client, event("STATE_CHANGED_OPEN", who, requested_state="OPEN"))
    await hass.async_block_till_done()
    assert state(hass) == "open"
    assert attribute(hass, LOCK_ENTITY, "changed_by") == changed_by
    assert (attribute(hass, ACTIVITY, "event_type"), attribute(hass, ACTIVITY, "method")) == ("open", method)
    assert attribute(hass, ACTIVITY, "remote") is (method == "remote")
    assert logbook_lines(hass, announced) == [line]


async def test_a_genuine_repeat_after_the_window_counts_again(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    await deliver(client, OPENED)
    await advance(hass, freezer, timedelta(seconds=9.9))
    await deliver(client, OPENED)  # a copy
    await advance(hass, freezer, timedelta(seconds=0.2))
    await deliver(client, OPENED)  # 10.1 s after the first: the door was opened again
    assert [fired for fired, _ in activity_fired(hass, changes)] == ["open", "open"]


async def test_the_confirmation_of_a_command_is_no_copy_of_the_same_move_before(
    hass: HomeAssistant, client: TestClient, aioclient_mock: AiohttpClientMocker
) -> None:
    """Unlock, lock, unlock from Home Assistant within seconds: LOQED's events repeat byte for byte."""
    aioclient_mock.get(COMMAND_URL, text="{}", headers={"Date": formatdate(usegmt=True)})
    unlocked = event("STATE_CHANGED_LATCH", HOME_ASSISTANT_KEY, requested_state="DAY_LOCK")
    locked = event("STATE_CHANGED_NIGHT_LOCK", HOME_ASSISTANT_KEY, requested_state="NIGHT_LOCK")
    for service, confirmation, shown in (("unlock", unlocked, "unlocked"), ("lock", locked, "locked")) * 2:
        await hass.services.async_call(LOCK_DOMAIN, service, {ATTR_ENTITY_ID: LOCK_ENTITY}, blocking=True)
        await deliver(client, confirmation)
        assert state(hass) == shown
    await deliver(client, locked)  # a late copy of the second lock is still a copy
    commands = [call for call in aioclient_mock.mock_calls if str(call[1]).startswith(COMMAND_URL)]
    assert len(commands) == 4


async def test_state_writes_share_the_context_of_the_logbook_line(hass: HomeAssistant, client: TestClient) -> None:
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    announced = async_capture_events(hass, EVENT_OPERATED)
    await deliver(client, OPENED)
    await hass.async_block_till_done()
    (announcement,) = announced
    assert announcement.data["entity_id"] == LOCK_ENTITY
    written = {change.data["entity_id"]: change.context.id for change in changes}
    assert written == dict.fromkeys([LOCK_ENTITY, LAST_OPERATED_BY, ACTIVITY], announcement.context.id)


async def test_each_opening_is_followed_by_its_own_automatic_latch(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    """Anna opens, and 6 s later the cleaner types a code: both latches are new, though alike."""
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    cleaner = {"key_local_id": "9", "key_name_user": "Cleaner", "key_account_name": "", "key_account_email": ""}
    keypad = event("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN", cleaner, go_to_state="OPEN")
    for after, body in (
        (0.0, TOUCH_TO_OPEN),
        (0.5, OPENED),
        (3.0, LATCHED_BY_ITSELF),
        (1.0, TOUCH_TO_OPEN),  # copy
        (0.5, OPENED),  # copy
        (1.0, keypad),
        (0.5, event("STATE_CHANGED_OPEN", cleaner, requested_state="OPEN")),
        (1.0, LATCHED_BY_ITSELF),  # copy of Anna's latch, or the cleaner's: the same bytes
        (2.0, LATCHED_BY_ITSELF),
    ):
        await advance(hass, freezer, timedelta(seconds=after))
        await deliver(client, body)
    assert [fired for fired, _ in activity_fired(hass, changes)] == [
        "going_to_open", "open", "unlock", "going_to_open", "open", "unlock"
    ]  # fmt: skip
    assert state(hass) == "unlocked"


async def test_a_report_that_changes_back_within_seconds_is_applied(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    """Online, offline, online again within 10 s: the last one is news, its copy is not."""
    online = json.dumps({"lock_id": int(OLD_LOCK_ID), "online": "1"}).encode()
    offline = json.dumps({"lock_id": int(OLD_LOCK_ID), "online": "0"}).encode()
    for body, shown in ((online, "on"), (offline, "off"), (online, "on"), (online, "on")):
        await advance(hass, freezer, timedelta(seconds=2))
        await deliver(client, body)
        assert state(hass, "binary_sensor.loqed_6148_lock_online") == shown


@pytest.mark.parametrize(
    ("language", "manual", "line"),
    [
        ("en", "Manual", "Unlocked · By hand (knob)"),
        ("nl", "Handmatig", "Ontgrendeld · Met de hand (knop)"),
        ("de", "Manuell", "Entriegelt · Von Hand (Knauf)"),
    ],
)
async def test_who_and_how_are_translated(
    hass: HomeAssistant, client: TestClient, language: str, manual: str, line: str
) -> None:
    """States say "manual"; the UI and the logbook show it, and how, in the user's language."""
    hass.config.language = language
    words = await async_get_translations(hass, language, "entity", [DOMAIN])
    sensor = f"component.{DOMAIN}.entity.sensor.last_operated_by.state"
    lock = f"component.{DOMAIN}.entity.lock.lock.state_attributes.changed_by.state"
    assert (words[f"{sensor}.manual"], words[f"{lock}.manual"]) == (manual, manual)
    announced = async_capture_events(hass, EVENT_OPERATED)
    await deliver(client, LATCHED_BY_ITSELF)  # no opening before it: the knob
    await hass.async_block_till_done()
    assert logbook_lines(hass, announced) == [f"LOQED 6148 {line}"]


async def test_a_going_to_that_comes_after_its_reached_and_the_latch_starts_nothing(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    """Out of order: OPEN, the latch, and only then the "going to OPEN" of that opening."""
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    await deliver(client, OPENED)
    await advance(hass, freezer, timedelta(seconds=3))
    await deliver(client, LATCHED_BY_ITSELF)
    await advance(hass, freezer, timedelta(seconds=1))
    await deliver(client, TOUCH_TO_OPEN)
    assert state(hass) == "unlocked"  # not "opening"
    assert [fired for fired, _ in activity_fired(hass, changes)] == ["open", "unlock"]
    await advance(hass, freezer, timedelta(seconds=11))
    await deliver(client, event("GO_TO_STATE_MANUAL_UNLOCK_BLE_OPEN", ANNA, go_to_state="OPEN"))
    assert state(hass) == "opening"  # a new opening, long after the last one


async def test_two_operations_in_the_same_millisecond_both_fire(
    hass: HomeAssistant, client: TestClient, freezer: FrozenDateTimeFactory
) -> None:
    """The clock stands still: "going to" and "reached" get the same timestamp, yet both fire."""
    changes = async_capture_events(hass, EVENT_STATE_CHANGED)
    await deliver(client, TOUCH_TO_OPEN)
    await deliver(client, OPENED)
    assert [fired for fired, _ in activity_fired(hass, changes)] == ["going_to_open", "open"]
    assert attribute(hass, ACTIVITY, "event_type") == "open"
