"""LOQED Web in a real Home Assistant of the newest release, which the test harness may not run yet.

pytest-homeassistant-custom-component follows Home Assistant's releases with a delay, so the test
suite runs on the newest release that it supports (requirements_test.txt). This check runs the
newest release itself (requirements_newest.txt) as a user would, against the simulator with real
LOQED's habits (every event twice, the latch after OPEN keyless with the owner's names): the
config flow, a report, a movement at the door, a command, the logbook, diagnostics, a reload, an
account's lock added with its personal access token, and not one warning or error of loqed_web's
in the log (Home Assistant's reports of a use that a later release breaks included).

scripts/test runs it; alone: scripts/setup --newest && .venv-newest/bin/python scripts/smoke.py
"""

import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import HomeAssistantProcess, SimulatorProcess  # noqa: E402  # the repo root is on the path now
from harness.http import free_port  # noqa: E402

# A line at warning level or above that names loqed_web (its own logger, Home Assistant's report
# of a deprecated call, an entity's class), or a traceback through its code.
_OUR_TROUBLE = re.compile(r"(WARNING|ERROR|CRITICAL) .*loqed_web|loqed_web/.*\.py\", line")
# What Home Assistant says of every custom integration at start-up.
_EXPECTED_NOTICE = "We found a custom integration loqed_web which has not been tested"


def main() -> int:
    """Run the scenario; print each step, and exit 1 at the first that fails."""
    from homeassistant.const import __version__  # noqa: PLC0415  # the venv's release, whichever it is

    print(f"LOQED Web on Home Assistant {__version__}", flush=True)
    work = Path(tempfile.mkdtemp(prefix="loqed-web-smoke-"))
    simulator = SimulatorProcess(port=free_port(), locks=2)
    simulator.start()
    hass = HomeAssistantProcess(work / "config", free_port(), simulator.base_url, log_path=work / "hass.log")
    try:
        hass.start()
        hass.onboard("Smoke", "smoke", "smoke-password")
        hass.wait_started()
        run_scenario(hass, simulator)
        run_account_scenario(hass, simulator)
        hass.stop()
        lines = hass.log_path.read_text().splitlines()
        trouble = [line for line in lines if _OUR_TROUBLE.search(line) and _EXPECTED_NOTICE not in line]
        check("no warning or error of loqed_web in the log", not trouble, "\n".join(trouble))
    except AssertionError as failed:
        print(f"FAILED: {failed}\n(log: {hass.log_path})", flush=True)
        return 1
    finally:
        hass.stop()
        simulator.stop()
    shutil.rmtree(work, ignore_errors=True)
    print(f"LOQED Web works on Home Assistant {__version__}", flush=True)
    return 0


def run_scenario(hass: HomeAssistantProcess, simulator: SimulatorProcess) -> None:
    """Set the lock up as a user does, then operate it from the door and from Home Assistant."""
    old_id = simulator.locks[0]["credentials"]["Lock ID (old)"]
    lock, activity = f"lock.loqed_{old_id}", f"event.loqed_{old_id}_activity"
    started = time.time()

    result = hass.add_lock(simulator.paste_text(0))
    check("the config flow takes the portal's text", result["title"] == f"LOQED {old_id}", result)
    simulator.control(lock=0, webhook_url=result["description_placeholders"]["webhook_url"])

    simulator.control(lock=0, event={"battery_percentage": 15})
    check_state(hass, f"sensor.loqed_{old_id}_battery", "15")

    simulator.control(lock=0, touch_to_open=True)  # Anna opens; the latch follows by itself
    check_state(hass, lock, "open")
    unlocked = check_state(hass, lock, "unlocked")
    who = (unlocked["attributes"]["changed_by"], unlocked["attributes"]["method"])
    check("the latch keeps who opened, and how", who == ("Anna", "touch_to_open"), unlocked)
    event = hass.state(activity)["attributes"]
    check("Activity told the latch", (event["event_type"], event["method"]) == ("unlock", "automatic"), event)

    hass.call("lock", "lock", lock)
    locked = check_state(hass, lock, "locked")
    check("the command names Home Assistant", locked["attributes"]["changed_by"] == "Home Assistant", locked)
    event = hass.state(activity)["attributes"]
    check("Activity fired the lock", (event["event_type"], event["method"]) == ("lock", "remote"), event)

    time.sleep(5)  # LOQED's copies come about 4 s after each event: none may count again
    lines = logbook_lines(hass, lock, started)
    expected = ["Opened · Anna · Touch to Open", "Locked · Home Assistant · Remote"]  # the latch is the opening's
    check("one logbook line per movement", lines == expected, lines)

    entry_id = hass.entry_id()
    diagnostics = hass.api("GET", f"/api/diagnostics/config_entry/{entry_id}")
    secret = simulator.locks[0]["credentials"]["Key"]
    check("diagnostics keep the key secret", secret not in str(diagnostics), "the key is in the diagnostics")

    hass.api("POST", f"/api/config/config_entries/entry/{entry_id}/reload")
    check_state(hass, lock, "locked")


def run_account_scenario(hass: HomeAssistantProcess, simulator: SimulatorProcess) -> None:
    """Add the account's other lock with its personal access token: one entry, the lock under it."""
    urls = hass.add_token_locks(simulator.token)
    check("the token offers the lock not set up yet", set(urls) == {simulator.locks[1]["name"]}, urls)
    [(name, url)] = urls.items()
    simulator.control(lock=1, webhook_url=url)
    lock = "lock." + name.lower().replace(" ", "_")
    check_state(hass, lock, "locked")
    [account] = [entry for entry in hass.api("GET", "/api/config/config_entries/entry?domain=loqed_web")
                 if entry["title"] == f"LOQED ({name})"]  # fmt: skip
    check(
        "the account holds its lock", [sub["title"] for sub in hass.subentries(account["entry_id"])] == [name], account
    )
    hass.call("lock", "unlock", lock)
    check_state(hass, lock, "unlocked")
    hass.api("POST", f"/api/config/config_entries/entry/{account['entry_id']}/reload")
    check_state(hass, lock, "unlocked")


def logbook_lines(hass: HomeAssistantProcess, entity_id: str, since: float) -> list[str]:
    """Return the logbook's messages about the lock's movements since `since`, oldest first."""
    start = time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(since - 1))
    entries = hass.api("GET", f"/api/logbook/{start}?entity={entity_id}")
    return [entry["message"] for entry in entries if "·" in entry.get("message", "")]


def check_state(hass: HomeAssistantProcess, entity_id: str, expected: str) -> dict[str, Any]:
    """Wait for a state; print the step as it passes."""
    state = hass.wait_for_state(entity_id, expected)
    print(f"  ok  {entity_id} is {expected}", flush=True)
    return state


def check(what: str, passed: bool, detail: object) -> None:
    """Print a step that passed; raise AssertionError, with what was found, for one that did not."""
    if not passed:
        raise AssertionError(f"{what}: {detail}")
    print(f"  ok  {what}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
