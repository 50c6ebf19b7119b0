"""An event that got HTTP 200 is on disk within a second, however many events follow it."""

import json
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.core import HomeAssistant
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.loqed_web.const import DOMAIN

from .conftest import LOCK_ID, OLD_LOCK_ID, WEBHOOK_ID, advance

STEP = timedelta(seconds=0.35)
STEPS = 12  # a steady stream for about 4 s


def stored_battery(hass_storage: dict[str, Any]) -> int | None:
    stored = hass_storage.get(f"{DOMAIN}.{LOCK_ID}")
    return None if stored is None else stored["data"]["battery_percentage"]


async def test_a_steady_stream_reaches_the_disk_while_it_lasts(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    hass_client_no_auth: Any,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
) -> None:
    client: TestClient = await hass_client_no_auth()
    await advance(hass, freezer, timedelta(seconds=5))  # setup's own save is done
    acknowledged: list[tuple[float, int]] = []  # (seconds into the stream, battery)
    elapsed = 0.0
    for step in range(STEPS):
        battery = 10 + step  # below the 78 % of setup's status call
        body = json.dumps({"lock_id": int(OLD_LOCK_ID), "battery_percentage": battery, "value1": str(step)})
        response = await client.post(f"/api/webhook/{WEBHOOK_ID}", data=body)
        assert response.status == 200
        acknowledged.append((elapsed, battery))
        await advance(hass, freezer, STEP)
        elapsed += STEP.total_seconds()
        # Everything acknowledged at least a second ago is on disk, though events keep coming.
        due = [value for at, value in acknowledged if at <= elapsed - 1.0]
        if due:
            stored = stored_battery(hass_storage)
            assert stored is not None
            assert due[-1] <= stored <= battery, f"{elapsed:.2f} s into the stream"
    await advance(hass, freezer, timedelta(seconds=1))
    assert stored_battery(hass_storage) == acknowledged[-1][1]
