"""A real Home Assistant (`hass -c`) as a child process, driven through its REST API."""

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp

from .http import HttpError, request

ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID_PATH = "/"

ONBOARDING_STORE = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config", "analytics", "integration"]},
}
CORE_CONFIGURATION = """\
homeassistant:
  name: LOQED Web demo
  time_zone: UTC
  latitude: 52.37
  longitude: 4.89
  elevation: 0
  unit_system: metric
  country: NL
  # Loopback stands in for the internet here: the simulator posts its webhooks to it.
  internal_url: {url}
  external_url: {url}
"""
SETTINGS = """\
{http}# Not default_config: its discovery integrations (zeroconf, ssdp, dhcp, bluetooth) reach beyond loopback.
history:
logbook:
logger:
  default: warning
  logs:
    custom_components.loqed_web: debug
"""
CONFIGURATION = CORE_CONFIGURATION + SETTINGS
# With keep_configuration: written once, then the user's. Packages cannot hold the core settings.
KEPT_CONFIGURATION = """\
# Yours to change: it was written once and is never written again. The harness's own settings
# are in packages/harness.yaml, which is written anew at every start.
{core}  packages: !include_dir_named packages

# Where the UI editors save, as in Home Assistant's default configuration.
automation: !include automations.yaml
script: !include scripts.yaml
scene: !include scenes.yaml
"""
HARNESS_PACKAGE = """\
# Written anew at every start: a change here is lost. Yours go in configuration.yaml or another package.
"""
# The files the UI editors save to, and what an empty one holds (as Home Assistant writes them).
EDITOR_FILES = {"automations.yaml": "[]", "scripts.yaml": "", "scenes.yaml": ""}


class FlowError(RuntimeError):
    """A config flow that did not finish, said in a sentence rather than as a dict."""

    def __init__(self, result: dict[str, Any]) -> None:
        """Describe the flow's last step: its abort reason or its errors."""
        if result.get("type") == "abort":
            why = f"it stopped: {result.get('reason')}"
        else:
            errors = ", ".join(map(str, (result.get("errors") or {}).values())) or "no error"
            why = f"it asks again at step {result.get('step_id')!r} ({errors})"
        super().__init__(f"the config flow did not finish; {why}")
        self.result = result


class HomeAssistantProcess:
    """One Home Assistant with custom_components/loqed_web, talking to the simulator."""

    def __init__(
        self,
        config_dir: Path,
        port: int,
        loqed_base_url: str,
        *,
        log_path: Path | None = None,
        extra_config: str = "",
        keep_configuration: bool = False,
    ):
        """Prepare the config folder; nothing runs until `start`. `extra_config` is YAML to append.

        With `keep_configuration`, configuration.yaml is written once and loads what the UI saves
        (automations, scripts, scenes), and the harness's settings go to a package written at
        every start: what a user makes survives restarts. Otherwise every start writes it anew.
        """
        self.extra_config = extra_config
        self.keep_configuration = keep_configuration
        self.config_dir = config_dir
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.loqed_base_url = loqed_base_url
        self.log_path = log_path or config_dir / "hass.out"
        self.process: subprocess.Popen[bytes] | None = None
        self.token: str | None = None

    def write_config(self) -> None:
        """Write the configuration (see `keep_configuration`) and link the integration in."""
        self.config_dir.mkdir(parents=True, exist_ok=True)
        http_yaml = self._write_http_store()
        if self.keep_configuration:
            self._write_kept_configuration(http_yaml)
        else:
            configuration = CONFIGURATION.format(url=self.url, http=http_yaml) + self.extra_config
            (self.config_dir / "configuration.yaml").write_text(configuration)
        custom = self.config_dir / "custom_components"
        custom.mkdir(exist_ok=True)
        link = custom / "loqed_web"
        if not link.exists():
            link.symlink_to(ROOT / "custom_components" / "loqed_web")
        onboarding = self.config_dir / ".storage" / "onboarding"
        if not onboarding.exists():
            # Mark every onboarding step but "user" done: finishing core_config through the API
            # adds weather, radio and TTS integrations that call the internet.
            onboarding.parent.mkdir(exist_ok=True)
            onboarding.write_text(json.dumps(ONBOARDING_STORE))

    def _write_kept_configuration(self, http_yaml: str) -> None:
        """Write configuration.yaml and the editors' files when missing; the harness's package always."""
        configuration = self.config_dir / "configuration.yaml"
        # Before keep_configuration, the harness wrote this text at every start: it holds nothing of the user's.
        rewritten_before = CONFIGURATION.format(url=self.url, http=http_yaml)
        if not configuration.exists() or configuration.read_text() == rewritten_before:
            core = CORE_CONFIGURATION.format(url=self.url)
            configuration.write_text(KEPT_CONFIGURATION.format(core=core))
        for name, empty in EDITOR_FILES.items():
            if not (self.config_dir / name).exists():
                (self.config_dir / name).write_text(empty)
        package = self.config_dir / "packages" / "harness.yaml"
        package.parent.mkdir(exist_ok=True)
        package.write_text(HARNESS_PACKAGE + SETTINGS.format(http=http_yaml) + self.extra_config)

    def _write_http_store(self) -> str:
        """Set the HTTP server's port; return the YAML for releases that still read it there.

        From 2026.x, Home Assistant keeps HTTP settings in storage: YAML is migrated once as a
        trial that reverts after five minutes unless confirmed in the UI. So the settings go
        straight into storage as the confirmed ("stable") configuration.
        """
        try:
            from homeassistant.components.http import config as http_config  # noqa: PLC0415
        except ImportError:  # releases before the HTTP settings store
            return f"http:\n  server_host: 127.0.0.1\n  server_port: {self.port}\n"
        stable = dict(http_config.HTTP_STORAGE_SCHEMA({"server_port": self.port, "server_host": ["127.0.0.1"]}))
        stable |= {"created_at": "2026-01-01T00:00:00+00:00", "error": None, "error_message": None}
        store = {
            "version": http_config.STORAGE_VERSION,
            "minor_version": http_config.STORAGE_MINOR_VERSION,
            "key": http_config.STORAGE_KEY,
            "data": {"stable": stable, "pending": None, "yaml_migration_done": True},
        }
        (self.config_dir / ".storage").mkdir(exist_ok=True)
        (self.config_dir / ".storage" / "http").write_text(json.dumps(store))
        return ""

    def start(self, timeout: float = 180) -> None:
        """Start `hass` and wait until its HTTP API answers."""
        self.write_config()
        env = os.environ | {"LOQED_WEB_BASE_URL": self.loqed_base_url}
        hass = Path(sys.executable).with_name("hass")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [str(hass), "-c", str(self.config_dir)],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # Ctrl-C in a terminal reaches the orchestrator, which stops us cleanly
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Home Assistant exited ({self.process.returncode}); see {self.log_path}")
            try:
                request("GET", f"{self.url}/auth/providers", timeout=2)
            except HttpError:
                return  # any answer means the HTTP server is up (before onboarding it says so)
            except OSError:
                time.sleep(0.5)
                continue
            return
        raise RuntimeError(f"Home Assistant did not answer within {timeout} s; see {self.log_path}")

    def wait_started(self, timeout: float = 120) -> None:
        """Wait until Home Assistant has finished starting (integrations set up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if request("GET", f"{self.url}/api/config", token=self.token).get("state") == "RUNNING":
                return
            time.sleep(0.5)
        raise RuntimeError("Home Assistant did not finish starting")

    def wait(self) -> int:
        """Wait until Home Assistant exits by itself (Settings > Restart or Stop); return its exit code."""
        if self.process is None:
            raise RuntimeError("Home Assistant was not started")
        return self.process.wait()

    def stop(self, *, kill: bool = False) -> None:
        """Stop Home Assistant: SIGTERM (it saves its state), or SIGKILL to simulate a crash."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    # --- REST API -------------------------------------------------------------------------------
    def api(self, method: str, path: str, body: Any = None) -> Any:
        """Call the REST API as the onboarded user."""
        return request(method, f"{self.url}{path}", body, token=self.token)

    def onboard(self, name: str, username: str, password: str) -> None:
        """Create the owner through the onboarding API (first start), or log in (later starts)."""
        client_id = f"{self.url}{CLIENT_ID_PATH}"
        try:
            steps = {step["step"]: step["done"] for step in request("GET", f"{self.url}/api/onboarding")}
        except HttpError:
            steps = dict.fromkeys(("user", "core_config", "analytics", "integration"), True)  # done: views gone
        if not steps.get("user"):
            created = request(
                "POST",
                f"{self.url}/api/onboarding/users",
                {"client_id": client_id, "name": name, "username": username, "password": password, "language": "en"},
            )
            code = created["auth_code"]
        else:
            code = self._login(client_id, username, password)
        tokens = request(
            "POST",
            f"{self.url}/auth/token",
            form={"grant_type": "authorization_code", "code": code, "client_id": client_id},
        )
        self.token = tokens["access_token"]
        for step in ("core_config", "analytics"):
            if not steps.get(step):
                self.api("POST", f"/api/onboarding/{step}", {})
        if not steps.get("integration"):
            self.api("POST", "/api/onboarding/integration", {"client_id": client_id, "redirect_uri": client_id})

    def _login(self, client_id: str, username: str, password: str) -> str:
        flow = request(
            "POST",
            f"{self.url}/auth/login_flow",
            {"client_id": client_id, "handler": ["homeassistant", None], "redirect_uri": client_id},
        )
        result = request(
            "POST",
            f"{self.url}/auth/login_flow/{flow['flow_id']}",
            {"client_id": client_id, "username": username, "password": password},
        )
        return str(result["result"])

    def add_lock(self, paste: str, signing: str = "sign_local") -> dict[str, Any]:
        """Run the config flow as a user does; return its last result.

        When the status budget is spent, finish without the check, as the flow offers a user.
        Raise FlowError with the flow's own words when it cannot finish.
        """
        base = "/api/config/config_entries/flow"
        result = self.api("POST", base, {"handler": "loqed_web"})
        result = self.api("POST", f"{base}/{result['flow_id']}", {"credentials": paste})
        if result.get("type") == "menu":
            result = self.api("POST", f"{base}/{result['flow_id']}", {"next_step_id": signing})
        if result.get("type") == "form" and result.get("errors") == {"base": "budget_exhausted"}:
            result = self.api("POST", f"{base}/{result['flow_id']}", {"credentials": "", "skip_status_check": True})
        if result.get("type") != "create_entry":
            raise FlowError(result)
        return dict(result)

    def add_token_locks(self, token: str) -> dict[str, str]:
        """Paste a personal access token and keep every lock offered; return {lock name: webhook URL}."""
        base = "/api/config/config_entries/flow"
        result = self.api("POST", base, {"handler": "loqed_web"})
        result = self.api("POST", f"{base}/{result['flow_id']}", {"credentials": token})
        if result.get("step_id") != "pick_locks":
            raise FlowError(result)
        picker = result["data_schema"][0]
        result = self.api("POST", f"{base}/{result['flow_id']}", {"locks": picker["default"]})
        if result.get("type") != "create_entry":
            raise FlowError(result)
        # "- **Front door**: https://…/api/webhook/…", one line per lock
        lines = result["description_placeholders"]["webhook_urls"].splitlines()
        return dict(line.removeprefix("- **").split("**: ", 1) for line in lines)

    def renew_token(self, token: str, timeout: float = 30) -> None:
        """Answer the reauth flows that a refused personal access token started with `token`."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reauths = [flow for flow in self.flows_in_progress() if flow["context"].get("source") == "reauth"]
            if reauths:
                base = "/api/config/config_entries/flow"
                for flow in reauths:  # the first one serves every lock of the token; the rest end too
                    with contextlib.suppress(HttpError):
                        self.api("POST", f"{base}/{flow['flow_id']}", {"credentials": token})
                return
            time.sleep(0.5)

    def entry_id(self, domain: str = "loqed_web") -> str:
        """Return the id of the first config entry of `domain`."""
        return str(self.api("GET", f"/api/config/config_entries/entry?domain={domain}")[0]["entry_id"])

    def set_options(self, values: dict[str, Any], entry_id: str | None = None) -> None:
        """Change a LOQED entry's settings (the first entry's by default) through its options flow."""
        base = "/api/config/config_entries/options/flow"
        result = self.api("POST", base, {"handler": entry_id or self.entry_id()})
        if result.get("type") == "menu":  # an API key's lock; an account opens on its settings
            result = self.api("POST", f"{base}/{result['flow_id']}", {"next_step_id": "settings"})
        result = self.api("POST", f"{base}/{result['flow_id']}", values)
        if result.get("type") != "create_entry":
            raise RuntimeError(f"the options flow did not finish: {result}")

    def subentries(self, entry_id: str) -> list[dict[str, Any]]:
        """Return the subentries of an entry (an account's locks), as the frontend lists them."""
        return list(asyncio.run(self._ws({"type": "config_entries/subentries/list", "entry_id": entry_id})))

    def remove_subentry(self, entry_id: str, subentry_id: str) -> None:
        """Delete a subentry (an account's lock), as its Delete button in the UI does."""
        command = {"type": "config_entries/subentries/delete", "entry_id": entry_id, "subentry_id": subentry_id}
        asyncio.run(self._ws(command))

    def state(self, entity_id: str) -> dict[str, Any]:
        """Return an entity's state object."""
        return dict(self.api("GET", f"/api/states/{entity_id}"))

    def wait_for_state(self, entity_id: str, expected: str, timeout: float = 15) -> dict[str, Any]:
        """Wait until `entity_id` shows `expected`; return its state object."""
        deadline = time.monotonic() + timeout
        current: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                current = self.state(entity_id)
            except HttpError:
                current = {}
            if current.get("state") == expected:
                return current
            time.sleep(0.2)
        raise AssertionError(f"{entity_id} stayed {current.get('state')!r}, expected {expected!r}")

    def flows_in_progress(self) -> list[dict[str, Any]]:
        """Return the config flows in progress (REST has no such list; the websocket API has)."""
        return list(asyncio.run(self._ws({"type": "config_entries/flow/progress"})))

    def persistent_notifications(self) -> list[dict[str, Any]]:
        """Return the notifications shown in the sidebar (not entities any more: the websocket API has them)."""
        return list(asyncio.run(self._ws({"type": "persistent_notification/get"})))

    async def _ws(self, command: dict[str, Any]) -> Any:
        async with aiohttp.ClientSession() as session, session.ws_connect(f"{self.url}/api/websocket") as ws:
            await ws.receive_json()  # auth_required
            await ws.send_json({"type": "auth", "access_token": self.token})
            await ws.receive_json()  # auth_ok
            await ws.send_json({"id": 1, **command})
            answer = await ws.receive_json()
            if not answer.get("success"):
                raise RuntimeError(f"websocket command failed: {answer}")
            return answer["result"]

    def call(self, domain: str, service: str, entity_id: str) -> Any:
        """Call a service; raise HttpError with Home Assistant's message when it fails."""
        return self.api("POST", f"/api/services/{domain}/{service}", {"entity_id": entity_id})
