"""The simulator keeps its locks, its status budget, its counters and its token across restarts."""

import json
import time
from pathlib import Path
from urllib.parse import quote

from aiohttp.test_utils import make_mocked_request

from harness import SimulatorProcess
from harness.http import free_port
from simulator.cloud import Cloud
from simulator.faults import Faults
from simulator.lock import VirtualLock
from simulator.memory import FORMAT, StateFile

from .conftest import make_mocked_control


def restarted(cloud: Cloud, path: Path, locks: int = 1) -> Cloud:
    """Write what `cloud` keeps to `path`, and return a new cloud of the same seed that read it back."""
    StateFile(path).write(cloud.remembered())
    again = Cloud([VirtualLock.create(index, "test") for index in range(locks)], Faults())
    again.recall(StateFile(path).read())
    return again


async def test_a_restart_keeps_the_locks_state_the_counters_and_the_token(world, tmp_path: Path) -> None:
    cloud, client, _hooks = world
    settings = {"state": "DAY_LOCK", "battery": 15, "wifi": 40, "ble": 20, "lock_online": False, "key_name": "HA"}
    response = await cloud.control_post(make_mocked_control(cloud, {"lock": 0, "set": settings}))
    assert response.status == 200
    await client.get_status()
    cloud.account.issue(600)
    again = restarted(cloud, tmp_path / "simulator.json")
    lock = again.locks[0]
    assert (lock.state, lock.battery, lock.wifi, lock.ble, lock.lock_online, lock.key_name) == (
        "DAY_LOCK", 15, 40, 20, False, "HA",
    )  # fmt: skip
    assert lock.webhook_urls == cloud.locks[0].webhook_urls
    assert again.counts == cloud.counts
    assert again.counts["status"] == 1
    assert (again.account.token, again.account.expires_at) == (cloud.account.token, cloud.account.expires_at)


async def test_a_spent_status_budget_stays_spent_after_a_restart(world, tmp_path: Path) -> None:
    cloud, client, _hooks = world
    for _ in range(12):
        await client.get_status()
    again = restarted(cloud, tmp_path / "simulator.json")
    lock = again.locks[0]
    query = f"api_token={quote(lock.api_token, safe='')}&lock_id={lock.lock_id}"
    response = await again.status(make_mocked_request("GET", f"/API/lock_status.php?{query}"))
    assert response.status == 429
    assert again.counts["status_refused"] == 1


def test_a_run_with_fewer_locks_keeps_the_others_for_later(tmp_path: Path) -> None:
    path = tmp_path / "simulator.json"
    two = Cloud([VirtualLock.create(0, "test"), VirtualLock.create(1, "test")], Faults())
    two.locks[1].state = "OPEN"
    one = restarted(two, path, locks=1)
    two_again = restarted(one, path, locks=2)
    assert two_again.locks[1].state == "OPEN"


def test_a_file_of_another_format_is_not_read(tmp_path: Path) -> None:
    path = tmp_path / "simulator.json"
    path.write_text(json.dumps({"format": FORMAT + 1, "counts": {"status": 5}}))
    assert StateFile(path).read() == {}
    path.write_text("{not json")
    assert StateFile(path).read() == {}
    assert StateFile(tmp_path / "missing.json").read() == {}


def test_an_unchanged_state_is_not_written_again(tmp_path: Path) -> None:
    path = tmp_path / "simulator.json"
    state_file = StateFile(path)
    state_file.write({"counts": {"status": 1}})
    path.write_text("changed behind its back")
    state_file.write({"counts": {"status": 1}})
    assert path.read_text() == "changed behind its back"
    state_file.write({"counts": {"status": 2}})
    assert json.loads(path.read_text()) == {"format": FORMAT, "counts": {"status": 2}}


def test_the_process_writes_on_change_and_reads_at_start(tmp_path: Path) -> None:
    """A move that ends after its request was answered is kept, and so is a webhook URL."""
    state_file = tmp_path / "simulator.json"
    sim = SimulatorProcess(port=free_port(), state_file=state_file)
    sim.start()
    lock_id = sim.locks[0]["credentials"]["Lock ID"]

    def kept_state() -> str:
        return str(json.loads(state_file.read_text())["locks"][lock_id]["state"])

    try:
        token = sim.token
        sim.control(lock=0, webhook_url="http://127.0.0.1:9/nowhere", knob="DAY_LOCK")
        deadline = time.monotonic() + 10
        while kept_state() != "DAY_LOCK":
            assert time.monotonic() < deadline, "the knob's move was not written"
            time.sleep(0.05)
    finally:
        sim.stop()
    sim.start()
    try:
        [lock] = sim.state()["locks"]
        assert (lock["state"], lock["webhook_urls"]) == ("DAY_LOCK", ["http://127.0.0.1:9/nowhere"])
        assert sim.token == token
    finally:
        sim.stop()
