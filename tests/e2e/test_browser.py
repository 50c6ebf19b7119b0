"""The integration in the real Home Assistant frontend, driven in Chromium (Playwright).

Skipped on the floor run: the selectors follow the current frontend. With LOQED_WEB_SCREENSHOTS=1
(scripts/screenshots) the pictures in the README are taken here, from the demo, into docs/.
"""

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from harness import HomeAssistantProcess, SimulatorProcess

from .conftest import LOCK, PASSWORD, ROOT, USERNAME, running_hass, running_simulator

playwright = pytest.importorskip("playwright.sync_api", reason="Playwright is installed by scripts/setup")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(bool(os.environ.get("LOQED_WEB_FLOOR_RUN")), reason="the selectors follow the current frontend"),
]
CHROMIUM = shutil.which("chromium") and Path("/usr/lib/chromium/chromium")
DOCS = ROOT / "docs"
LAST_OPERATED_BY = "sensor.loqed_6000_last_operated_by"
SECRETS_IN_DIAGNOSTICS = ("API token", "Key", "API key")
# The frontend's dialog manager listens on the dialog itself, so it has run when `dialog-closed`
# bubbles up to the window: it went back one history entry if that entry was the dialog's.
DIALOG_SETTLED_WATCH = """() => {
    window.loqedDialogSettled = false;
    const settle = () => { window.loqedDialogSettled = true; };
    addEventListener("dialog-closed", (event) => {
        if (history.state?.dialog === event.detail?.dialog) addEventListener("popstate", settle, {once: true});
        else settle();
    }, {once: true});
}"""


@pytest.fixture(autouse=True)
def verify_cleanup() -> None:
    """Replace the harness's check for threads left behind.

    The browser's thread and the executor thread of its event loop live for the whole module,
    on purpose; the `browser` fixture ends them when the module is done.
    """


@pytest.fixture(scope="module")
def cloud() -> Iterator[SimulatorProcess]:
    """The simulated LOQED cloud, with copies off so that each step is quick to watch."""
    with running_simulator(locks=2, faults={"copy_delay": "0"}) as sim:
        yield sim


@pytest.fixture(scope="module")
def hass_without_locks(
    cloud: SimulatorProcess, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[HomeAssistantProcess]:
    """A real Home Assistant, onboarded, with no lock yet: the browser adds it."""
    with running_hass(tmp_path_factory.mktemp("hass"), cloud) as process:
        yield process


class Browser:
    """A logged-in Chromium tab, driven from a thread of its own.

    Playwright's sync API refuses to run in a thread with an event loop, and the test harness
    keeps one in the main thread; every step runs in the browser's thread instead.
    """

    def __init__(self, hass: HomeAssistantProcess) -> None:
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="browser")
        self.hass = hass
        self.tab: Any = None
        self._driver: Any = None
        self.run(self._start)

    def run[T](self, step: Callable[[], T]) -> T:
        """Run `step` in the browser's thread and return what it returns.

        When it fails, the error names the page it was on and where a screenshot of it is.
        """
        try:
            return self._thread.submit(step).result()
        except Exception as err:
            if self.tab is not None:
                err.add_note(self._thread.submit(self._where).result())
            raise

    def _where(self) -> str:
        try:
            shot = Path(tempfile.mkstemp(prefix="loqed-web-browser-", suffix=".png")[1])
            self.tab.screenshot(path=str(shot), timeout=5_000)
        except playwright.Error as err:
            return f"the page was {self.tab.url} (no screenshot: {err.message})"
        return f"the page was {self.tab.url}; screenshot: {shot}"

    def open(self, path: str) -> Any:
        """Go to `path` of Home Assistant (in a step); return the tab.

        The frontend may still be changing its own URL (a dialog closing) when a test moves on:
        Chromium then aborts the new navigation, which is tried once more.
        """
        url = f"{self.hass.url}{path}"
        try:
            self.tab.goto(url)
        except playwright.Error as err:
            if "ERR_ABORTED" not in str(err):
                raise
            self.tab.goto(url)
        return self.tab

    def close_dialog(self, finish: Any = None) -> None:
        """Close the open dialog (press `finish`, or Escape) and wait for the frontend to settle.

        A dialog may add a history entry; on closing, the frontend goes back one entry, a moment
        later. Navigating in that moment ends on the page before the dialog instead.
        """
        self.tab.evaluate(DIALOG_SETTLED_WATCH)
        if finish is None:
            self.tab.keyboard.press("Escape")
        else:
            finish.click()
        self.tab.wait_for_function("() => window.loqedDialogSettled")

    def open_device(self, name: str) -> Any:
        """Go to the device page of `name` as a user does, from the devices dashboard; return the tab."""
        self.open("/config/devices/dashboard")
        self.tab.get_by_text(name).first.click()
        self.tab.wait_for_url("**/config/devices/device/*")
        self.tab.get_by_text("Device info").wait_for()
        return self.tab

    def start_adding(self) -> Any:
        """Open "Add integration → LOQED Web" past its custom-integration notice; return the paste box."""
        self.open("/config/integrations/dashboard/add?domain=loqed_web")
        self.tab.get_by_role("button", name="OK").click()
        return self.tab.get_by_role("textbox", name="What the LOQED portal shows")

    def _start(self) -> None:
        self._driver = playwright.sync_playwright().start()
        browser = self._driver.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        self.tab = browser.new_page(viewport={"width": 1280, "height": 900})
        self.tab.set_default_timeout(30_000)
        self.tab.goto(f"{self.hass.url}/config/integrations/dashboard")
        self.tab.get_by_label("Username").fill(USERNAME)
        self.tab.get_by_role("textbox", name="Password").fill(PASSWORD)
        self.tab.get_by_role("button", name="Log in").click()
        self.tab.get_by_role("button", name="Add integration").wait_for()

    def close(self) -> None:
        """Close the browser and its thread."""
        self.run(self._driver.stop)
        self._thread.shutdown()


@pytest.fixture(scope="module")
def browser(hass_without_locks: HomeAssistantProcess) -> Iterator[Browser]:
    """One logged-in browser tab for the whole module."""
    if not CHROMIUM or not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (scripts/setup installs it)")
    session = Browser(hass_without_locks)
    yield session
    session.close()


def picture(tab: Any, name: str, **clip: Any) -> None:
    """Save a README picture when asked to (scripts/screenshots), small and optimised."""
    if not os.environ.get("LOQED_WEB_SCREENSHOTS"):
        return
    from PIL import Image  # noqa: PLC0415  # only when pictures are taken

    DOCS.mkdir(exist_ok=True)
    target = DOCS / f"{name}.png"
    tab.screenshot(path=str(target), **clip)
    with Image.open(target) as image:
        image.convert("RGB").quantize(colors=128).save(target, optimize=True)


def test_the_whole_config_flow_in_the_frontend(
    browser: Browser, hass_without_locks: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    def steps() -> None:
        page = browser.tab
        box = browser.start_adding()
        box.fill(cloud.paste_text(0))
        picture(page, "paste-step")
        box.fill("hello, this is not what the portal shows")
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("No LOQED credentials were found in what you pasted.").wait_for()
        assert box.input_value() == "hello, this is not what the portal shows"  # kept to be fixed
        box.fill(cloud.paste_text(0))
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Who signs the commands?").wait_for()
        local = page.get_by_text("Home Assistant signs (recommended)")
        assert local.is_visible()
        local.click()
        url = page.get_by_role("link", name="/api/webhook/")
        url.wait_for()
        picture(page, "webhook-url")
        webhook_url = url.inner_text().replace("\n", "")
        assert webhook_url.startswith(f"{hass_without_locks.url}/api/webhook/")
        cloud.control(lock=0, webhook_url=webhook_url)
        browser.close_dialog(page.get_by_role("button", name="Skip and finish"))
        assert hass_without_locks.state(LOCK)["state"] == "locked"

    browser.run(steps)


def test_lock_unlock_and_open_from_the_device_page(
    browser: Browser, hass_without_locks: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    def steps() -> None:
        page = browser.tab
        browser.open_device("LOQED 6000")
        controls = page.locator("ha-card", has_text="Controls")
        controls.get_by_role("button", name="Unlock").click()
        playwright.expect(page.get_by_text("Unlocking").first).to_be_visible()
        hass_without_locks.wait_for_state(LOCK, "unlocked")
        playwright.expect(page.locator("ha-card", has_text="Sensors")).to_contain_text("Home Assistant")
        playwright.expect(page.locator("ha-card", has_text="Activity").first).to_contain_text(
            "Unlocked · Home Assistant · Remote"
        )
        picture(page, "device-page")
        controls.get_by_role("button", name="Lock").click()
        hass_without_locks.wait_for_state(LOCK, "locked")

    browser.run(steps)


def test_open_and_lock_from_the_more_info_dialog(
    browser: Browser, hass_without_locks: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    """OPEN asks to be confirmed; the state passes through opening and open, the logbook tells it.

    The more-info dialog opens from the URL, as a link or a dashboard card opens it."""

    def steps() -> None:
        page = browser.tab
        browser.open(f"/config/devices/dashboard?more-info-entity-id={LOCK}")
        dialog = page.locator("ha-more-info-dialog")
        commands_before = cloud.state()["counts"]["commands"]
        dialog.get_by_role("button", name="Open door").click()
        dialog.get_by_role("button", name="Really open?").click()
        playwright.expect(dialog.get_by_text("Opening").first).to_be_visible()
        hass_without_locks.wait_for_state(LOCK, "open")
        playwright.expect(dialog.get_by_text("Open", exact=True).first).to_be_visible()
        # The simulated lock falls back to DAY_LOCK by itself: a consequence of the opening, so
        # whoever opened (Home Assistant's key here) stays the one who last operated the lock.
        hass_without_locks.wait_for_state(LOCK, "unlocked")
        assert hass_without_locks.state(LAST_OPERATED_BY)["state"] == "Home Assistant"
        assert cloud.state()["counts"]["commands"] == commands_before + 1, "one confirmed click, one OPEN"
        dialog.get_by_role("switch").click()
        playwright.expect(dialog.get_by_text("Locking").first).to_be_visible()
        hass_without_locks.wait_for_state(LOCK, "locked")
        browser.close_dialog()
        browser.open(f"/logbook?entity_id={LOCK}")
        playwright.expect(page.get_by_text("Opened · Home Assistant · Remote").first).to_be_visible()
        # The latch that follows is part of the opening: no line of its own.
        playwright.expect(page.get_by_text("Unlocked · Automatic")).to_have_count(0)
        picture(page, "logbook")

    browser.run(steps)


def test_the_configure_dialog_shows_the_url_and_the_choices(
    browser: Browser, hass_without_locks: HomeAssistantProcess
) -> None:
    def steps() -> None:
        page = browser.tab
        browser.open("/config/integrations/integration/loqed_web")
        page.get_by_text("LOQED 6000").first.wait_for()
        page.get_by_role("button", name="Configure").filter(visible=True).first.click()
        playwright.expect(page.get_by_text("LOQED Web options")).to_be_visible()
        playwright.expect(page.get_by_role("link", name="/api/webhook/")).to_be_visible()
        playwright.expect(page.locator("step-flow-menu").get_by_text("Settings", exact=True)).to_be_visible()
        playwright.expect(page.get_by_text("Make a new webhook URL")).to_be_visible()
        picture(page, "configure-dialog")
        browser.close_dialog()

    browser.run(steps)


def test_diagnostics_download_without_secrets(
    browser: Browser, hass_without_locks: HomeAssistantProcess, cloud: SimulatorProcess, tmp_path: Path
) -> None:
    def steps() -> None:
        page = browser.tab
        browser.open_device("LOQED 6000")
        with page.expect_download() as download:
            # The Device info card's link; the ⋮ menu holds a hidden item of the same name.
            page.get_by_text("Download diagnostics").filter(visible=True).first.click()
        target = tmp_path / "diagnostics.json"
        download.value.save_as(target)
        text = target.read_text()
        assert json.loads(text)["data"]["locks"][0]["data"]["bolt_state"] == "night_lock"
        credentials = cloud.locks[0]["credentials"]
        for name in SECRETS_IN_DIAGNOSTICS:
            assert str(credentials[name]) not in text, name
        assert "/api/webhook/" not in text

    browser.run(steps)


def test_a_repair_is_shown_in_settings(
    browser: Browser, hass_without_locks: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    """LOQED takes three commands, but its events never come: the repair says what to check."""
    hass_without_locks.set_options({"transition_timeout": 5, "status_budget": 4, "silence_hours": 24})
    cloud.control(faults={"drop_webhooks": True})
    try:
        for service in ("unlock", "lock", "unlock"):
            hass_without_locks.call("lock", service, LOCK)
            hass_without_locks.wait_for_state(LOCK, "unknown", timeout=15)
    finally:
        cloud.control(faults={"drop_webhooks": False})

    def steps() -> None:
        page = browser.tab
        browser.open("/config/repairs")
        title = page.get_by_text("LOQED's events do not arrive for LOQED 6000")
        title.click()
        playwright.expect(page.get_by_text("check on the LOQED portal that the webhook has this URL")).to_be_visible()

    browser.run(steps)
    cloud.control(lock=0, event={"requested_state": "DAY_LOCK", "event_type": "STATE_CHANGED_LATCH"})
    hass_without_locks.wait_for_state(LOCK, "unlocked")


def test_a_token_offers_the_other_lock_and_lists_its_webhook(
    browser: Browser, hass_without_locks: HomeAssistantProcess, cloud: SimulatorProcess
) -> None:
    """Paste the account's token: the lock set up by API key is not offered, the other one is."""

    def steps() -> None:
        page = browser.tab
        browser.start_adding().fill(cloud.token)
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Choose your locks").wait_for()
        back = page.get_by_role("checkbox", name="Back door")
        playwright.expect(back).to_be_checked()
        playwright.expect(page.get_by_role("checkbox", name="Front door")).to_have_count(0)
        picture(page, "token-locks")
        page.get_by_role("button", name="Submit").click()
        url = page.get_by_role("link", name="/api/webhook/")
        url.wait_for()
        playwright.expect(page.get_by_text("Back door").first).to_be_visible()
        cloud.control(lock=1, webhook_url=url.inner_text().replace("\n", ""))
        browser.close_dialog(page.get_by_role("button", name="Skip and finish"))
        cloud.control(lock=1, knob="DAY_LOCK")
        hass_without_locks.wait_for_state("lock.back_door", "unlocked")
        # One entry for the account, its lock under it, and a button to add another.
        browser.open("/config/integrations/integration/loqed_web")
        page.get_by_text("LOQED (Back door)").first.wait_for()
        playwright.expect(page.get_by_text("Add lock").first).to_be_visible()
        picture(page, "account-locks")

    browser.run(steps)
