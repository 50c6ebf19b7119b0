"""Timers that follow a lock's state: a transition LOQED never confirmed, and the latch after OPEN."""

from collections.abc import Callable

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.helpers.event import async_call_later

from .aioloqedweb import BoltState, LockData
from .const import CONF_TRANSITION_TIMEOUT, OPEN_FALLBACK_SECONDS, TRANSITION_TIMEOUT_SECONDS


class TransitionTimer:
    """Ends a transition after its timeout, and shows the latch falling back after OPEN.

    It follows what was applied: each change of the state or of the transition re-arms it.
    """

    def __init__(
        self, hass: HomeAssistant, entry: ConfigEntry, on_timeout: Callable[[], None], on_fell_back: Callable[[], None]
    ) -> None:
        """Call `on_timeout` when a transition lasts the entry's timeout, `on_fell_back` after OPEN."""
        self._hass = hass
        self._entry = entry  # its timeout is read when a transition starts: a new one applies at once
        self._on_timeout = on_timeout
        self._on_fell_back = on_fell_back
        self._following: tuple[BoltState | None, BoltState | None] | None = None
        self._cancel: CALLBACK_TYPE | None = None

    @callback
    def follow(self, data: LockData) -> None:
        """Arm the timer that `data` needs, when its state or transition changed."""
        following = (data.moving_to, data.bolt_state)
        if following == self._following:
            return
        self._following = following
        self.cancel()
        if data.moving_to is not None:
            timeout = float(self._entry.options.get(CONF_TRANSITION_TIMEOUT, TRANSITION_TIMEOUT_SECONDS))
            self._cancel = async_call_later(self._hass, timeout, self._fire(self._on_timeout))
        elif data.bolt_state is BoltState.OPEN:
            self._cancel = async_call_later(self._hass, OPEN_FALLBACK_SECONDS, self._fire(self._on_fell_back))

    def _fire(self, action: Callable[[], None]) -> Callable[[object], None]:
        @callback
        def fire(_now: object) -> None:
            self._cancel = None
            action()

        return fire

    @callback
    def cancel(self) -> None:
        """Stop a pending timer (unload)."""
        if self._cancel is not None:
            self._cancel()
            self._cancel = None
