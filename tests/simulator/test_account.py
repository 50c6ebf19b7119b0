"""The simulated Integrations API answers our client as LOQED's does (section 6 of the notes)."""

from typing import Any

import pytest

from custom_components.loqed_web.aioloqedweb import (
    Action,
    BoltState,
    Hosts,
    LoqedAccountClient,
    LoqedAuthError,
    LoqedKeyDeletedError,
    LoqedNotFoundError,
    LoqedRateLimitedError,
    find_access_token,
)
from simulator.account import THROTTLE_PER_MINUTE
from simulator.cloud import Cloud
from simulator.lock import TOKEN_KEY_ID

from .conftest import Webhooks, make_mocked_control


def account_client(cloud: Cloud, client: Any, token: str | None = None) -> LoqedAccountClient:
    hosts = Hosts(cloud.base_url, cloud.base_url, cloud.base_url)
    return LoqedAccountClient(client._session, token or cloud.account.token, hosts=hosts)  # its session


async def test_the_token_lists_the_locks_and_moves_one_with_its_own_key(world) -> None:
    cloud, client, hooks = world
    hooks_seen: Webhooks = hooks
    token = find_access_token(cloud.account.token)
    assert token is not None
    assert token.expires_at == int(cloud.account.expires_at)  # the exp claim, in whole seconds
    account = account_client(cloud, client)
    [lock] = await account.list_locks()
    assert (lock.lock_id, lock.name, lock.status.bolt_state) == (
        cloud.locks[0].lock_id,
        "Front door",
        BoltState.NIGHT_LOCK,
    )
    await account.send_command(lock.lock_id, Action.DAY_LOCK)
    going, reached = await hooks_seen.wait_for(2)
    assert reached["key_local_id"] == going["key_local_id"] == str(TOKEN_KEY_ID)
    assert reached["key_name_user"] == "Home Assistant (token)"
    assert reached["lock_id"] == int(cloud.locks[0].old_lock_id)  # the numeric id the list does not give
    assert cloud.counts["commands_accepted"] == 1


async def test_a_wrong_expired_or_revoked_token_goes_to_the_login_page(world) -> None:
    cloud, client, _hooks = world
    with pytest.raises(LoqedAuthError):
        await account_client(cloud, client, "eyJx.eyJ5.c2ln").list_locks()
    old = cloud.account.token
    await cloud.control_post(make_mocked_control(cloud, {"token": {"expires_in": -1}}))
    with pytest.raises(LoqedAuthError):
        await account_client(cloud, client).list_locks()  # expired
    with pytest.raises(LoqedAuthError):
        await account_client(cloud, client, old).list_locks()  # replaced
    await cloud.control_post(make_mocked_control(cloud, {"token": {"expires_in": 3600}}))
    await cloud.control_post(make_mocked_control(cloud, {"token": {"revoked": True}}))
    with pytest.raises(LoqedAuthError):
        await account_client(cloud, client).send_command(cloud.locks[0].lock_id, Action.OPEN)
    assert cloud.counts["commands_accepted"] == 0


async def test_a_deleted_key_refuses_commands_while_the_list_still_reads(world) -> None:
    cloud, client, _hooks = world
    await cloud.control_post(make_mocked_control(cloud, {"lock": 0, "set": {"token_key_deleted": True}}))
    account = account_client(cloud, client)
    with pytest.raises(LoqedKeyDeletedError):
        await account.send_command(cloud.locks[0].lock_id, Action.OPEN)
    assert len(await account.list_locks()) == 1
    with pytest.raises(LoqedNotFoundError):
        await account.send_command("NoSuchLock0000000000", Action.OPEN)


async def test_the_list_is_throttled_per_minute_and_can_be_made_to_fail(world) -> None:
    cloud, client, _hooks = world
    account = account_client(cloud, client)
    for _ in range(THROTTLE_PER_MINUTE):
        await account.list_locks()
    with pytest.raises(LoqedRateLimitedError):
        await account.list_locks()
    cloud.account._reads.clear()  # a minute later
    await cloud.control_post(make_mocked_control(cloud, {"token": {"list_status": 429}}))
    with pytest.raises(LoqedRateLimitedError):
        await account.list_locks()
    response = await cloud.control_post(make_mocked_control(cloud, {"token": {"lifetime": 1}}))
    assert response.status == 400
