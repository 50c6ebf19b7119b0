"""Version 1 entries, exactly as the code before the account reshape made them, become version 2.

Built from tests/ha/fixtures/v1_entries.json, captured from that code's own flows: two locks of
one token (the back door with a cloudhook; the front door with a renamed lock entity, a renamed
battery sensor, a renamed device, options and a learnt numeric id), a lock of another token, and
an API-key lock.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_ACCESS_TOKEN, CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.test_util.aiohttp import AiohttpClientMocker

from custom_components.loqed_web.const import CONF_CLOUDHOOK_URL, DOMAIN
from custom_components.loqed_web.migration import MERGED_INTO

from .account import LOCKS_URL
from .conftest import STATUS, STATUS_URL

CAPTURED = json.loads((Path(__file__).parent / "fixtures" / "v1_entries.json").read_text())
ENTRIES = {entry["title"]: entry for entry in CAPTURED["config_entries"]}
BACK, FRONT, GARAGE, API_KEY = (ENTRIES[title] for title in ("Back door", "Front door", "Garage", "LOQED 6148"))
# The list says nothing of the bolt: what is shown is what was saved.
LIST = {"data": [{"id": entry["unique_id"], "name": entry["title"], "bolt_state": "unknown", "online": True}
                 for entry in (BACK, FRONT, GARAGE)]}  # fmt: skip


def add_v1_entries(hass: HomeAssistant, hass_storage: dict[str, Any], *titles: str) -> dict[str, MockConfigEntry]:
    """Add the captured entries named `titles`, with their devices, entities and saved states."""
    added = {}
    devices, entities = dr.async_get(hass), er.async_get(hass)
    for title in titles:
        captured = ENTRIES[title]
        entry = MockConfigEntry(
            domain=DOMAIN,
            entry_id=captured["entry_id"],
            title=captured["title"],
            unique_id=captured["unique_id"],
            data=captured["data"],
            options=captured["options"],
            source=captured["source"],
            version=captured["version"],
        )
        entry.add_to_hass(hass)
        [device] = [device for device in CAPTURED["devices"] if device["config_entry_id"] == entry.entry_id]
        made = devices.async_get_or_create(
            config_entry_id=entry.entry_id,
            identifiers={tuple(identifier) for identifier in device["identifiers"]},
            manufacturer="LOQED",
            model="Touch Smart Lock",
            name=device["name"],
        )
        devices.async_update_device(made.id, name_by_user=device["name_by_user"])
        for entity in CAPTURED["entities"]:
            if entity["config_entry_id"] == entry.entry_id:
                domain, object_id = entity["entity_id"].split(".")
                registered = entities.async_get_or_create(
                    domain, DOMAIN, entity["unique_id"], suggested_object_id=object_id, config_entry=entry,
                    device_id=made.id,
                )  # fmt: skip
                assert registered.entity_id == entity["entity_id"]
                entities.async_update_entity(registered.entity_id, name=entity["name"])
        lock_store = f"{DOMAIN}.{captured['unique_id']}"
        hass_storage[lock_store] = CAPTURED["stores"][lock_store]
        added[title] = entry
    hass_storage[f"{DOMAIN}.status_budget"] = CAPTURED["stores"][f"{DOMAIN}.status_budget"]
    return added


@pytest.fixture(autouse=True)
def _loqed_answers(aioclient_mock: AiohttpClientMocker, external_url: None) -> None:
    aioclient_mock.get(LOCKS_URL, json=LIST)
    aioclient_mock.get(STATUS_URL, json=STATUS)


async def start(hass: HomeAssistant) -> None:
    assert await async_setup_component(hass, "webhook", {})
    assert await async_setup_component(hass, DOMAIN, {})
    await hass.async_block_till_done()


def entity_ids(hass: HomeAssistant, entry_id: str) -> dict[str, tuple[str | None, str | None]]:
    """Return {entity id: (subentry id, name the user gave)} of an entry's entities."""
    return {
        entity.entity_id: (entity.config_subentry_id, entity.name)
        for entity in er.async_entries_for_config_entry(er.async_get(hass), entry_id)
    }


async def test_each_tokens_entries_become_one_account_and_everything_the_user_made_stays(
    hass: HomeAssistant, hass_storage: dict[str, Any], hass_client_no_auth: Any
) -> None:
    add_v1_entries(hass, hass_storage, "Back door", "Front door", "Garage", "LOQED 6148")
    saved_before = [key for key in hass_storage if key.startswith(f"{DOMAIN}.")]
    await start(hass)

    entries = {entry.entry_id: entry for entry in hass.config_entries.async_entries(DOMAIN)}
    # The front door's entry (set up by the user) is the account now; the back door's entry is gone.
    assert set(entries) == {FRONT["entry_id"], GARAGE["entry_id"], API_KEY["entry_id"]}
    account, garage, api_key = (entries[captured["entry_id"]] for captured in (FRONT, GARAGE, API_KEY))
    assert (account.version, account.title, dict(account.data)) == (
        2,
        "LOQED (Front door, Back door)",
        {CONF_ACCESS_TOKEN: FRONT["data"][CONF_ACCESS_TOKEN]},
    )
    assert account.options == FRONT["options"]
    assert account.unique_id is None
    # Each lock is a subentry named by its old entry: its webhook, cloudhook and numeric id kept.
    assert {subentry_id: dict(subentry.data) for subentry_id, subentry in account.subentries.items()} == {
        FRONT["entry_id"]: {key: FRONT["data"][key] for key in ("lock_id", "old_lock_id", CONF_WEBHOOK_ID)},
        BACK["entry_id"]: {key: BACK["data"][key] for key in ("lock_id", CONF_WEBHOOK_ID, CONF_CLOUDHOOK_URL)},
    }
    assert [subentry.title for subentry in account.subentries.values()] == ["Front door", "Back door"]
    assert (garage.version, dict(garage.data)) == (2, {CONF_ACCESS_TOKEN: GARAGE["data"][CONF_ACCESS_TOKEN]})
    assert [subentry.title for subentry in garage.subentries.values()] == ["Garage"]
    assert (api_key.version, dict(api_key.data), api_key.unique_id) == (2, API_KEY["data"], API_KEY["unique_id"])
    assert all(entry.state is ConfigEntryState.LOADED for entry in entries.values())

    # Every entity id, the user's names, and the device the user renamed.
    front_entities = entity_ids(hass, account.entry_id)
    assert front_entities["lock.voordeur"] == (FRONT["entry_id"], None)
    assert front_entities["sensor.front_door_battery"] == (FRONT["entry_id"], "Voordeur batterij")
    assert front_entities["lock.back_door"] == (BACK["entry_id"], None)
    expected = {entity["entity_id"] for entity in CAPTURED["entities"]
                if entity["config_entry_id"] in (FRONT["entry_id"], BACK["entry_id"])}  # fmt: skip
    settings = ("open_house", "guest_access", "twist_assist", "touch_to_connect")  # new in version 2
    added = {f"binary_sensor.{device}_{name}" for device in ("voordeur", "back_door") for name in settings}
    assert set(front_entities) == expected | added
    assert set(entity_ids(hass, garage.entry_id)) == {
        entity["entity_id"] for entity in CAPTURED["entities"] if entity["config_entry_id"] == GARAGE["entry_id"]
    } | {f"binary_sensor.garage_{name}" for name in settings}
    devices = {
        device.name: device for device in dr.async_entries_for_config_entry(dr.async_get(hass), account.entry_id)
    }
    assert set(devices) == {"Front door", "Back door"}
    assert devices["Front door"].name_by_user == "Voordeur"
    assert hass.states.get("lock.voordeur").name == "Voordeur"  # type: ignore[union-attr]

    # The saved states are the same files, and shown as they were.
    assert hass.states.get("lock.voordeur").state == "unlocked"  # type: ignore[union-attr]
    assert set(saved_before) <= set(hass_storage)

    # A webhook POST to each old URL changes the right lock.
    client = await hass_client_no_auth()
    for webhook_id, lock_id, entity_id in (
        (FRONT["data"][CONF_WEBHOOK_ID], 6000, "lock.voordeur"),
        (BACK["data"][CONF_WEBHOOK_ID], 6001, "lock.back_door"),
        (GARAGE["data"][CONF_WEBHOOK_ID], 6002, "lock.garage"),
        (API_KEY["data"][CONF_WEBHOOK_ID], 6148, "lock.loqed_6148"),
    ):
        body = {"lock_id": lock_id, "requested_state": "OPEN", "event_type": "STATE_CHANGED_OPEN"}
        assert (await client.post(f"/api/webhook/{webhook_id}", json=body)).status == 200
        assert hass.states.get(entity_id).state == "open", entity_id  # type: ignore[union-attr]


async def test_a_restart_in_the_middle_finishes_the_merge(hass: HomeAssistant, hass_storage: dict[str, Any]) -> None:
    """The front door's entry was made the account, with the back door's lock; then Home Assistant stopped."""
    added = add_v1_entries(hass, hass_storage, "Back door", "Front door")
    account = added["Front door"]
    from custom_components.loqed_web.migration import _lock_subentry  # noqa: PLC0415  # the first half, by hand

    for entry in (account, added["Back door"]):
        hass.config_entries.async_add_subentry(account, _lock_subentry(entry))
    hass.config_entries.async_update_entry(
        account, data={CONF_ACCESS_TOKEN: FRONT["data"][CONF_ACCESS_TOKEN]}, version=2, unique_id=None
    )
    await start(hass)
    assert [entry.entry_id for entry in hass.config_entries.async_entries(DOMAIN)] == [account.entry_id]
    assert set(account.subentries) == {FRONT["entry_id"], BACK["entry_id"]}
    assert entity_ids(hass, account.entry_id)["lock.back_door"] == (BACK["entry_id"], None)
    assert entity_ids(hass, account.entry_id)["lock.voordeur"] == (FRONT["entry_id"], None)
    assert hass.states.get("lock.back_door").state == "unlocked"  # type: ignore[union-attr]  # its saved state


async def test_an_entry_merged_before_a_restart_goes_without_taking_its_lock_along(
    hass: HomeAssistant, hass_storage: dict[str, Any]
) -> None:
    added = add_v1_entries(hass, hass_storage, "Back door", "Front door")
    await start(hass)  # merged: the back door's entry is gone, its lock is the account's
    assert hass.config_entries.async_get_entry(BACK["entry_id"]) is None
    # As if the removal had not reached the disk: the back door's entry is back, marked as merged.
    ghost = MockConfigEntry(domain=DOMAIN, entry_id=BACK["entry_id"], title="Back door", version=1,
                            data={**BACK["data"], MERGED_INTO: added["Front door"].entry_id})  # fmt: skip
    ghost.add_to_hass(hass)
    from custom_components.loqed_web.migration import async_merge_token_entries  # noqa: PLC0415

    await async_merge_token_entries(hass)
    assert hass.config_entries.async_get_entry(BACK["entry_id"]) is None
    assert f"{DOMAIN}.{BACK['unique_id']}" in hass_storage  # its lock's saved state stays
    assert hass.states.get("lock.back_door").state == "unlocked"  # type: ignore[union-attr]
