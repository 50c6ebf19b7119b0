"""A read of LOQED never goes backwards: not during a movement, not over a newer event."""

from dataclasses import replace

import pytest

from custom_components.loqed_web.aioloqedweb import (
    BatteryType,
    BoltState,
    LockData,
    LockRead,
    LockStatus,
    ReadResult,
    ReadSource,
    apply_read,
)
from custom_components.loqed_web.aioloqedweb.integrations import AccountLock, LockList

LOCKED = LockStatus(BoltState.NIGHT_LOCK, 80, BatteryType.LITHIUM, True, True, False, False, True, party_mode=True)
UNLOCKED_BY_WEBHOOK = LockData(bolt_state=BoltState.DAY_LOCK, battery_percentage=90, last_event_at=1_000.0, known=True)


@pytest.mark.parametrize("source", list(ReadSource))
def test_a_read_asked_for_within_30_s_of_an_event_or_before_it_is_left_out(source: ReadSource) -> None:
    for requested_at in (995.0, 1_000.0, 1_029.9):
        data, result = apply_read(UNLOCKED_BY_WEBHOOK, LockRead(source, LOCKED, requested_at))
        assert result is ReadResult.STALE
        assert (data.bolt_state, data.battery_percentage) == (BoltState.DAY_LOCK, 90)
        assert data.status_fetched_at == requested_at  # an API key's status call is not spent again


def test_no_read_during_a_movement() -> None:
    moving = replace(UNLOCKED_BY_WEBHOOK, moving_to=BoltState.NIGHT_LOCK, last_event_at=None)
    data, result = apply_read(moving, LockRead(ReadSource.LOCK_LIST, LOCKED, 5_000.0))
    assert (result, data.moving_to, data.bolt_state) == (ReadResult.STALE, BoltState.NIGHT_LOCK, BoltState.DAY_LOCK)


def test_a_later_read_corrects_what_webhooks_missed() -> None:
    data, result = apply_read(UNLOCKED_BY_WEBHOOK, LockRead(ReadSource.LOCK_LIST, LOCKED, 1_030.0))
    assert result is ReadResult.CORRECTED
    assert (data.bolt_state, data.battery_percentage, data.party_mode, data.in_account) == (
        BoltState.NIGHT_LOCK,
        80,
        True,
        True,
    )
    again, result = apply_read(data, LockRead(ReadSource.LOCK_LIST, LOCKED, 2_000.0))
    assert (result, again) == (ReadResult.UNCHANGED, replace(data, status_fetched_at=2_000.0))


def test_a_lock_the_list_leaves_out_keeps_what_is_known_and_is_marked() -> None:
    missing = LockRead.from_list(LockList({}, 1_100.0), "Yq1gK4oeE9KWe0ByxjX2")
    data, result = apply_read(UNLOCKED_BY_WEBHOOK, missing)
    assert (result, data) == (ReadResult.MISSING, replace(UNLOCKED_BY_WEBHOOK, in_account=False))
    listed = LockList({"Yq1gK4oeE9KWe0ByxjX2": AccountLock("Yq1gK4oeE9KWe0ByxjX2", "Front", None, LOCKED)}, 1_200.0)
    back, result = apply_read(data, LockRead.from_list(listed, "Yq1gK4oeE9KWe0ByxjX2"))
    assert (result, back.in_account, back.bolt_state) == (ReadResult.CORRECTED, True, BoltState.NIGHT_LOCK)
