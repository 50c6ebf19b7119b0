"""A real Home Assistant process against the simulator process, both on free loopback ports."""

import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import pytest_socket

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from harness import HomeAssistantProcess, SimulatorProcess  # noqa: E402  # the repo root is on the path now
from harness.http import HttpError, free_port  # noqa: E402

LOCK = "lock.loqed_6000"
ACTIVITY = "event.loqed_6000_activity"
BLUEPRINTS = ROOT / "blueprints" / "automation" / "loqed_web"
# Automations that count what they do: the shipped blueprint, with its notification replaced
# by a script that counts, and a plain state trigger on the Activity entity.
AUTOMATIONS = f"""\
- id: someone_else_opened
  alias: Someone else opened (blueprint)
  use_blueprint:
    path: loqed_web/someone_else_opened.yaml
    input:
      activity: {ACTIVITY}
      my_names: [Anna]
      notify_action: script.count_notification
- id: activity_state_trigger
  alias: Every movement (state trigger)
  triggers:
    - trigger: state
      entity_id: {ACTIVITY}
  conditions:
    - condition: template
      value_template: "{{{{ trigger.to_state.attributes.event_type in ['lock', 'unlock', 'open'] }}}}"
  actions:
    - action: counter.increment
      target:
        entity_id: counter.movements
"""
EXTRA_CONFIG = """\
automation: !include automations.yaml
counter:
  notifications:
  movements:
script:
  count_notification:
    fields:
      title:
        description: The notification's title.
      message:
        description: The notification's text.
    sequence:
      - action: counter.increment
        target:
          entity_id: counter.notifications
"""
USERNAME = "e2e"
PASSWORD = "e2e-password"  # a throwaway user in a temporary Home Assistant


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Talk to the processes on loopback; pytest-socket still refuses every other host."""


@contextmanager
def running_simulator(**options: Any) -> Iterator[SimulatorProcess]:
    """Run the simulated LOQED cloud on a free port (module fixtures use this)."""
    pytest_socket.enable_socket()  # module fixtures start before the function-scoped socket_enabled
    sim = SimulatorProcess(port=free_port(), **options)
    sim.start()
    try:
        yield sim
    finally:
        sim.stop()


@contextmanager
def running_hass(config_dir: Path, simulator: SimulatorProcess, **options: Any) -> Iterator[HomeAssistantProcess]:
    """Run a real Home Assistant against `simulator`, onboarded; print its log's end afterwards."""
    pytest_socket.enable_socket()
    process = HomeAssistantProcess(config_dir, free_port(), simulator.base_url, **options)
    try:
        process.start()
        process.onboard("E2E", USERNAME, PASSWORD)
        process.wait_started()
        yield process
    finally:
        process.stop()
        if (log := process.log_path).exists():
            print(f"--- Home Assistant log ({log}) ---\n{log.read_text()[-4000:]}")


@pytest.fixture(scope="module")
def simulator() -> Iterator[SimulatorProcess]:
    """The simulated LOQED cloud, for the whole module."""
    with running_simulator() as sim:
        yield sim


@pytest.fixture(scope="module")
def home_assistant(
    simulator: SimulatorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HomeAssistantProcess]:
    """A real Home Assistant, onboarded, with the simulator's lock added through the config flow."""
    config_dir = tmp_path_factory.mktemp("hass")
    (config_dir / "automations.yaml").write_text(AUTOMATIONS)
    shutil.copytree(BLUEPRINTS, config_dir / "blueprints" / "automation" / "loqed_web")
    with running_hass(config_dir, simulator, extra_config=EXTRA_CONFIG) as process:
        result = process.add_lock(simulator.paste_text(0))
        simulator.control(lock=0, webhook_url=result["description_placeholders"]["webhook_url"])
        yield process


def failure_message(home_assistant: HomeAssistantProcess, action: str) -> str:
    """Call lock.<action>, expect it to fail, and return the message the user gets.

    Current Home Assistant answers with the message; 2026.3 answers a bare 500 and logs it.
    """
    log_size = home_assistant.log_path.stat().st_size
    with pytest.raises(HttpError) as raised:
        home_assistant.call("lock", action, LOCK)
    assert raised.value.status == 500
    if isinstance(raised.value.body, dict):
        return str(raised.value.body["message"])
    time.sleep(0.5)
    with home_assistant.log_path.open("rb") as log:
        log.seek(log_size)
        return log.read().decode(errors="replace")
