"""The demo: the LOQED cloud simulator and a real Home Assistant with the integration set up.

Run through scripts/develop, which prepares the environment first.
"""

import argparse
import json
import secrets
import shutil
import signal
import sys
from pathlib import Path
from typing import Any

from homeassistant.const import RESTART_EXIT_CODE

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import HomeAssistantProcess, SimulatorProcess  # noqa: E402  # the repo root is on the path now
from harness.hass import FlowError  # noqa: E402
from harness.http import HttpError  # noqa: E402

BLUEPRINTS = ROOT / "blueprints" / "automation" / "loqed_web"
# notify.notify is the blueprints' default action. A real Home Assistant has one from a phone's
# app; here a notify group of one member, the built-in persistent notification, stands in.
DEMO_CONFIG = """\
notify:
  - platform: group
    services:
      - action: persistent_notification
"""
EPILOG = """\
The simulator behaves like real LOQED by default: every event is delivered twice (the copy
about 4 s later), the latch after OPEN is a keyless event that carries the owner's names, and
battery, signal and online come as separate events.

Faults (--fault NAME=VALUE, or later: curl -X POST SIM/control -d '{"faults": {...}}'):
  copy_delay=4 (0: no copies)  webhook_delay=SECONDS  drop_webhooks=true  reorder_webhooks=true
  command_status=503      command_timeout=true  clock_skew=SECONDS
Lock switches (curl -X POST SIM/control -d '{"lock": 0, "set": {...}}'):
  lock_online, bridge_online, motor_stall, flat_battery, token_revoked, battery, wifi, ble
  (battery, wifi, ble and lock_online are reported to Home Assistant by webhook)
With --credential token (curl -X POST SIM/control -d '{"token": {...}}'):
  "expires_in": SECONDS (a new token)   "revoked": true   "list_status": 429
  and '{"lock": 0, "set": {"token_key_deleted": true}}': the token's key deleted in the app
At the door (curl -X POST SIM/control -d '{"lock": 0, ...}'):
  "knob": "DAY_LOCK"   "button": true   "keypad": "Cleaner"   "touch_to_open": true
A lock added by hand (--auto-add 1 leaves lock 1 to you): paste the text of curl SIM/portal/1 in
  Add integration > LOQED Web, then curl -X POST SIM/control -d '{"lock": 1, "webhook_url": "URL", "report": true}'
  with the URL its last step (or Configure) shows; the simulator keeps it
Events on demand (curl -X POST SIM/control -d '{"lock": 0, "event": {...}}'), for example
  {"battery_percentage": 15}   {"wifi_strength": 40, "ble_strength": 20}   {"online": 0}

Everything lives in .develop/ (git-ignored) and survives restarts, Settings > Restart included:
automations, the locks' state, the status budget. --reset starts from scratch.
"""


def parse_args() -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="scripts/develop",
        description="Start a simulated LOQED cloud and a real Home Assistant with LOQED Web set up against it.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--locks", type=int, default=1, help="number of virtual locks (default 1)")
    parser.add_argument(
        "--auto-add",
        type=int,
        metavar="N",
        help="add only the first N locks to Home Assistant; the others wait to be added by hand (default: all)",
    )
    parser.add_argument("--fault", action="append", default=[], metavar="NAME=VALUE", help="start with a fault on")
    parser.add_argument("--port", type=int, default=8123, help="Home Assistant's port (default 8123)")
    parser.add_argument("--sim-port", type=int, default=8124, help="the simulator's port (default 8124)")
    parser.add_argument("--signing", choices=["local", "server"], default="local", help="who signs commands")
    parser.add_argument(
        "--credential",
        choices=["api_key", "token"],
        default="api_key",
        help="set the locks up with one API key each (default), or all at once with a personal access token",
    )
    parser.add_argument("--reset", action="store_true", help="forget the user, the entries and the history")
    parser.add_argument("--verbose", action="store_true", help="log every simulator request and webhook")
    parser.add_argument("--dir", type=Path, default=ROOT / ".develop", help="where it all lives (default .develop)")
    args = parser.parse_args()
    if args.auto_add is None:
        args.auto_add = args.locks
    if not 0 <= args.auto_add <= args.locks:
        parser.error(f"--auto-add takes 0 to {args.locks}, the number of --locks")
    return args


def main() -> None:
    """Start everything, set it up, and keep Home Assistant running until Ctrl-C."""
    args = parse_args()
    # SIGTERM (kill, a closing terminal) stops both processes cleanly, like Ctrl-C.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    work: Path = args.dir
    if args.reset and work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True, exist_ok=True)
    state_path = work / "state.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    state.setdefault("username", "demo")
    state.setdefault("password", secrets.token_urlsafe(12))
    state.setdefault("webhooks", {})
    if state.setdefault("port", args.port) != args.port:
        raise SystemExit(
            f"This demo was set up on port {state['port']}, and its webhook URLs point there. Start it with"
            f" --port {state['port']}, or start over with --reset."
        )
    faults = dict(item.split("=", 1) for item in args.fault)

    simulator = SimulatorProcess(
        port=args.sim_port, locks=args.locks, faults=faults, verbose=args.verbose, state_file=work / "simulator.json"
    )
    hass = HomeAssistantProcess(
        work / "config", args.port, "", log_path=work / "hass.log", extra_config=DEMO_CONFIG, keep_configuration=True
    )
    try:
        simulator.start()
        hass.loqed_base_url = simulator.base_url
        copy_blueprints(hass.config_dir)
        print(f"Simulator on {simulator.base_url}; starting Home Assistant…", flush=True)
        start_home_assistant(hass, state)
        state_path.write_text(json.dumps(state, indent=2))
        if args.credential == "token":
            entities = set_up_token_locks(hass, simulator, state)
        else:
            entities = set_up_locks(hass, simulator, state, "sign_" + args.signing, args.auto_add)
        state_path.write_text(json.dumps(state, indent=2))
        print_welcome(hass, simulator, state, entities)
        keep_running(hass, state)
    except KeyboardInterrupt:
        print("\nStopping…")
    except RuntimeError as err:  # the harness's words: Home Assistant exited or did not answer
        raise SystemExit(str(err)) from None
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second kill must not leave the simulator running
        hass.stop()
        simulator.stop()


def copy_blueprints(config_dir: Path) -> None:
    """Copy the project's blueprints in, at every start: the demo offers the current ones, offline."""
    shutil.copytree(BLUEPRINTS, config_dir / "blueprints" / "automation" / "loqed_web", dirs_exist_ok=True)


def start_home_assistant(hass: HomeAssistantProcess, state: dict[str, Any]) -> None:
    """Start Home Assistant, onboard the demo's user (first start) or log in, and wait until it runs."""
    hass.start()
    hass.onboard("Demo", state["username"], state["password"])
    hass.wait_started()


def keep_running(hass: HomeAssistantProcess, state: dict[str, Any]) -> None:
    """Start Home Assistant again whenever it exits to restart, as a supervisor does; return when it stops.

    Settings > Restart makes it exit with RESTART_EXIT_CODE. The simulator keeps running and
    keeps posting to the same webhook URLs, so nothing needs setting up again.
    """
    while (exit_code := hass.wait()) == RESTART_EXIT_CODE:
        print("Home Assistant is restarting; the simulator keeps running…", flush=True)
        start_home_assistant(hass, state)
        print(f"Home Assistant is back: {hass.url}", flush=True)
    print(f"Home Assistant stopped (exit code {exit_code}); see {hass.log_path}", flush=True)


def set_up_locks(
    hass: HomeAssistantProcess, simulator: SimulatorProcess, state: dict[str, Any], signing: str, auto_add: int
) -> list[str]:
    """Add the first `auto_add` virtual locks through the config flow, each once; return their entities.

    A lock is added only if the demo never added it: one the user deleted stays deleted, since
    adding it again would spend a status check at every start. The simulator keeps the webhook
    URLs, so a lock set up before needs nothing; the locks it cannot connect are named.
    """
    entry_ids = {entry["entry_id"] for entry in hass.api("GET", "/api/config/config_entries/entry?domain=loqed_web")}
    entities = []
    for index, lock in enumerate(simulator.locks):
        old_id = lock["credentials"]["Lock ID (old)"]
        added = state["webhooks"].get(old_id)
        added = added if isinstance(added, dict) else None  # a bare URL: from before entry ids were kept
        if added is not None and added["entry_id"] in entry_ids:
            if not lock["webhook_urls"]:  # a simulator from before --state-file, which forgot it
                simulator.control(lock=index, webhook_url=added["url"])
        elif added is None and index < auto_add and not lock["webhook_urls"]:
            try:
                result = hass.add_lock(simulator.paste_text(index), signing)
            except (HttpError, FlowError) as err:
                print(f"Could not add lock {old_id} ({err}). Home Assistant keeps running: add it by hand,"
                      " as README \"Try it without a lock\" says.", flush=True)  # fmt: skip
                continue
            added = {"entry_id": result["result"]["entry_id"], "url": result["description_placeholders"]["webhook_url"]}
            state["webhooks"][old_id] = added
            simulator.control(lock=index, webhook_url=added["url"], report=True)  # signal strength too
        elif not lock["webhook_urls"] or (added is not None and lock["webhook_urls"] == [added["url"]]):
            # Never connected, or connected to the entry that the user deleted.
            print(
                f"Lock {old_id} ({lock['name']}) is not connected. To add it by hand, paste the text of\n"
                f"  curl {simulator.base_url}/portal/{index}\n"
                "in Add integration > LOQED Web, then tell the simulator the webhook URL that its last step shows:\n"
                f"  curl -X POST {simulator.base_url}/control"
                f' -d \'{{"lock": {index}, "webhook_url": "<the URL>", "report": true}}\'',
                flush=True,
            )
            continue
        # Otherwise the user added it by hand and connected it, as the README says.
        entities.append(f"lock.loqed_{old_id}")
    return entities


def set_up_token_locks(hass: HomeAssistantProcess, simulator: SimulatorProcess, state: dict[str, Any]) -> list[str]:
    """Paste the simulated account's personal access token once: one account entry, its locks under it.

    The simulator keeps its token across restarts (.develop/simulator.json); when it has a new one
    (after --reset of the simulator alone, or an expiry), the account gets it through reauth, as a
    user would paste a new token.
    """
    entries = hass.api("GET", "/api/config/config_entries/entry?domain=loqed_web")
    names = {lock["name"]: index for index, lock in enumerate(simulator.locks)}
    urls: dict[str, str] = state.setdefault("token_webhooks", {})
    if not any(entry["title"].startswith("LOQED (") for entry in entries):  # no account yet
        try:
            urls.update(hass.add_token_locks(simulator.token))
            state["token"] = simulator.token
        except (HttpError, FlowError) as err:
            print(
                f"Could not add the locks with the token ({err}). Locks set up with API keys before are"
                " not offered again: scripts/develop --reset --credential token starts from scratch.",
                flush=True,
            )
    elif state.get("token") != simulator.token:
        hass.renew_token(simulator.token)
        state["token"] = simulator.token
    entities = []
    for name, index in names.items():
        if url := urls.get(name):
            simulator.control(lock=index, webhook_url=url, report=True)
            entities.append("lock." + name.lower().replace(" ", "_"))
    return entities


def print_welcome(
    hass: HomeAssistantProcess, simulator: SimulatorProcess, state: dict[str, str], entities: list[str]
) -> None:
    """Tell the newcomer where to look and what to try."""
    print(
        f"""
Home Assistant is ready: {hass.url}
  user:     {state["username"]}
  password: {state["password"]}
Locks: {", ".join(entities)} (Settings > Devices & services > LOQED Web)

Lock, unlock and open the virtual door and watch the state and "Last operated by" follow.
As real LOQED, the simulator delivers every event twice (the copy ~4 s later): Home Assistant
applies each once. At the door:
  curl -X POST {simulator.base_url}/control -d '{{"lock": 0, "touch_to_open": true}}'   Anna, Touch to Open
  curl -X POST {simulator.base_url}/control -d '{{"lock": 0, "knob": "NIGHT_LOCK"}}'    locked by hand
  curl -X POST {simulator.base_url}/control -d '{{"lock": 0, "keypad": "Cleaner"}}'    a keypad code
  curl -X POST {simulator.base_url}/control -d '{{"lock": 0, "button": true}}'         the outside button
  curl -X POST {simulator.base_url}/control -d '{{"lock": 0, "set": {{"battery": 15}}}}'  a battery report
Simulator state: curl {simulator.base_url}/control     Logs: {hass.log_path}
The LOQED blueprints are ready (Settings > Automations & scenes > Blueprints); notify.notify
shows a notification in the sidebar. Settings > ⋮ > Restart Home Assistant restarts Home
Assistant alone, and what you made stays. Press Ctrl-C to stop both.
""",
        flush=True,
    )


if __name__ == "__main__":
    main()
