"""The coordinator: holds one lock's state, fed by webhooks, never polled."""

import logging
import time
from collections.abc import Callable, Hashable
from dataclasses import replace
from typing import Any, override

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.event import async_call_later, async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .activity import Activity, Operation, operation_from
from .aioloqedweb import (
    Action,
    BoltState,
    DuplicateFilter,
    GoingToState,
    LockStatus,
    LoqedClockSkewError,
    LoqedError,
    LoqedStatusBudgetExhaustedError,
    MethodTracker,
    MotorStall,
    Operator,
    Rejection,
    StateReached,
    WebhookMessage,
)
from .const import (
    CONF_SILENCE_HOURS,
    CONF_TRANSITION_TIMEOUT,
    DOMAIN,
    EVENT_OPERATED,
    LATE_GOING_TO_SECONDS,
    MISSED_CONFIRMATIONS_FOR_REPAIR,
    OPEN_FALLBACK_SECONDS,
    RECONCILE_QUIET_SECONDS,
    SILENCE_CHECK_INTERVAL,
    SILENCE_HOURS,
    TRANSITION_TIMEOUT_SECONDS,
)
from .data import LockData, apply_event
from .errors import reaction_to
from .issues import async_events_missing_issue, async_no_events_issue, async_reachability_issue
from .link import LockLink
from .storage import LockDataStore

_LOGGER = logging.getLogger(__name__)

type LoqedConfigEntry = ConfigEntry[LoqedCoordinator]

# Combinations of changed fields whose listeners are remembered (events make a few dozen).
MAX_REMEMBERED_CHANGES = 64
# A tuple, not a union: isinstance() would build the union anew on every event.
_MOVEMENTS = (StateReached, GoingToState, MotorStall)
_TARGET = {
    Action.OPEN: BoltState.OPEN,
    Action.DAY_LOCK: BoltState.DAY_LOCK,
    Action.NIGHT_LOCK: BoltState.NIGHT_LOCK,
}


class LoqedCoordinator(DataUpdateCoordinator[LockData]):
    """One lock: its last known state, the events that change it, and its commands."""

    config_entry: LoqedConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: LoqedConfigEntry,
        link: LockLink,
        store: LockDataStore,
    ) -> None:
        """Create the coordinator; push only, so there is no update interval."""
        super().__init__(hass, _LOGGER, config_entry=entry, name=entry.title, update_interval=None)
        self.link = link
        self._store = store
        self._restored = LockData()
        self._copies = DuplicateFilter()
        self._methods = MethodTracker()
        # When each state was last reached (monotonic), and by whom: a late "going to" is told by it.
        self._reached: dict[BoltState, tuple[float, Operator]] = {}
        # The context of a change LOQED reported: the state writes share its logbook entry's.
        self.context: Context | None = None
        # While a publish tells the entities: the fields it changed (None otherwise: all are called).
        self._changed_fields: frozenset[str] | None = None
        # Whom a change of these fields concerns, in the order they listen (see async_update_listeners).
        self._listeners_by_change: dict[frozenset[str], tuple[CALLBACK_TYPE, ...]] = {}
        self.lock_entity_id: str | None = None  # set by the lock entity once it is added
        self._cancel_timer: CALLBACK_TYPE | None = None
        self._cancel_watches: list[CALLBACK_TYPE] = []  # long timers, ended at unload and at stop
        self._missed_confirmations = 0  # commands in a row whose "reached" event never came
        self._silent: bool | None = None
        self._reachable: bool | None = None  # whether the "no internet URL" repair is clear
        self._device_id_cache: str | None = None  # whether the "no events" repair is shown; None: not known yet
        self.activity = Activity()

    @property
    def lock_ids(self) -> frozenset[str]:
        """Return the ids LOQED's webhooks may name this lock by (empty: any)."""
        return self.link.lock_ids

    @override
    async def _async_setup(self) -> None:
        """Restore what was known before the restart, and the recent webhook calls."""
        self._restored = await self._store.async_load()
        self.activity = Activity(self._store.stored_deliveries)
        self._store.deliveries_source = self.activity.stored_deliveries

    @override
    async def _async_update_data(self) -> LockData:
        """Return the known state; read the status only when the link says it is due."""
        data = self.data if self.data is not None else self._restored
        if not self.link.status_is_due(data.status_fetched_at):
            return data
        try:
            status = await self.link.async_read_status()
        except LoqedError as err:
            reaction = reaction_to(err)
            if reaction.reauth:
                raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key=reaction.key) from err
            _LOGGER.log(
                logging.DEBUG if isinstance(err, LoqedStatusBudgetExhaustedError) else logging.INFO,
                "%s: could not read the lock's status (%s); waiting for LOQED's webhooks",
                self.name,
                err,
            )
            return data
        # A webhook may have come while the call was out: apply the status to the newest data.
        data = self.link.apply(self.data if self.data is not None else self._restored, status)
        self._store.async_delay_save(data)
        return data

    async def async_refresh_status(self) -> None:
        """Spend one status call now (the user asked for it); raise a translated error if it fails."""
        try:
            status = await self.link.async_read_status(fresh=True)
        except LoqedError as err:
            raise self._async_translated(err) from err
        self.async_apply_status(status)

    @callback
    def async_apply_status(self, status: LockStatus) -> None:
        """Show a status read just now (here, or by a reauth or reconfigure flow), and save it."""
        self._async_publish(self.link.apply(self.data, status))

    @callback
    def async_reconcile(self, status: LockStatus) -> None:
        """Correct what LOQED's webhooks missed, from the account's lock list.

        Webhooks stay the source of truth: nothing is corrected while a movement is under way
        or right after an event, when the list may be older than what the event said.
        """
        data = self.data
        if data.moving_to is not None or time.time() - (data.last_event_at or 0) < RECONCILE_QUIET_SECONDS:
            return
        corrected = replace(self.link.apply(data, status), status_fetched_at=data.status_fetched_at)
        if corrected == data:
            return
        self.activity.record_correction((data, corrected), dt_util.utcnow())
        _LOGGER.debug("%s: the lock list corrected what LOQED's webhooks missed: %s", self.name, corrected)
        self._async_publish(corrected)

    async def _async_reconcile_now(self) -> None:
        """Read the lock list now (a confirmation did not come) and correct the state."""
        try:
            status = await self.link.async_read_status(fresh=True)
        except LoqedError as err:
            _LOGGER.debug("%s: the lock list could not be read after a missing confirmation (%s)", self.name, err)
            return
        self.async_reconcile(status)

    @callback
    def _async_translated(self, err: LoqedError) -> HomeAssistantError:
        """Return the error to show for `err`, and ask for new credentials when they stopped working."""
        reaction = reaction_to(err)
        if reaction.reauth:
            self.config_entry.async_start_reauth(self.hass)
        skew = f"{err.skew_seconds:+.0f}" if isinstance(err, LoqedClockSkewError) else ""
        return HomeAssistantError(
            translation_domain=DOMAIN, translation_key=reaction.key, translation_placeholders={"skew": skew}
        )

    @callback
    def async_record_rejection(self, rejection: Rejection) -> None:
        """Remember a webhook call that changed nothing (for diagnostics)."""
        self.activity.record_rejection(rejection, dt_util.utcnow())

    @callback
    def async_handle_message(self, message: WebhookMessage, delivery: Hashable) -> None:
        """Apply one webhook call, unless it copies an earlier delivery; announce its movements.

        `delivery` identifies the call byte for byte (body and query): LOQED's copies match it.
        """
        now = dt_util.utcnow()
        tag = _confirmation_tag(message)
        if self._copies.is_repeat(delivery, tag or _report_tag(message), supersedes=tag is None):
            _LOGGER.debug("%s: ignored a copy of an earlier delivery", self.name)
            self.activity.record_copy(message.events, now)
            return
        if self.link.learns(message.lock_id):
            _LOGGER.info("%s: LOQED's webhooks name this lock %s", self.name, message.lock_id)
            entry = self.config_entry
            self.hass.config_entries.async_update_entry(entry, data={**entry.data, "old_lock_id": message.lock_id})
        before = data = self.data
        arrived_at = time.time()
        operations: list[Operation] = []
        for event in message.events:
            method = None
            if isinstance(event, GoingToState) and self._is_late(event):
                _LOGGER.debug("%s: ignored a 'going to' event that came after its 'reached' event", self.name)
                continue
            if isinstance(event, StateReached):
                self._reached[event.state] = (time.monotonic(), event.operator)
            if isinstance(event, _MOVEMENTS):
                method = self._methods.method_for(event)
                if operation := operation_from(event, method, now):
                    operations.append(operation)
            data = apply_event(data, event, method, arrived_at=arrived_at)
            if isinstance(event, StateReached) and event.state is BoltState.OPEN:
                # A new OPEN is followed by a new automatic latch, byte for byte like the last one.
                self._copies.forget((None, BoltState.DAY_LOCK))
        if data.last_event_at != arrived_at:  # every event was left out (a late "going to")
            data = replace(data, last_event_at=arrived_at)
        self._async_set_silent(False)
        if self._missed_confirmations and any(isinstance(event, StateReached) for event in message.events):
            self._missed_confirmations = 0  # LOQED's events arrive again
            async_events_missing_issue(self.hass, self.config_entry.entry_id, self.name, missing=False)
        self.activity.record_applied(message.events, operations, (before, data), now)
        context = Context()
        for operation in operations:
            if operation.is_complete:
                self._announce(operation, context)
        self._async_publish(data, context)

    def _is_late(self, event: GoingToState) -> bool:
        """Return True for a "going to" event whose state the same key reached moments ago."""
        reached_at, operator = self._reached.get(event.target, (None, None))
        recent = reached_at is not None and time.monotonic() - reached_at < LATE_GOING_TO_SECONDS
        return recent and operator == event.operator

    @callback
    def _announce(self, operation: Operation, context: Context) -> None:
        """Fire the bus event the logbook tells as one line: "Unlocked · Anna · Touch to Open"."""
        announcement: dict[str, str | int | bool | None] = {
            "device_id": self._device_id(),
            "entity_id": self.lock_entity_id,
            "name": self.name,
            "type": operation.type,
            **operation.attributes(),
        }
        self.hass.bus.async_fire(EVENT_OPERATED, announcement, context=context)

    @callback
    def _device_id(self) -> str | None:
        """Return the lock's device id (none yet while the entities are still being added)."""
        if self._device_id_cache is None:
            devices = dr.async_entries_for_config_entry(dr.async_get(self.hass), self.config_entry.entry_id)
            self._device_id_cache = devices[0].id if devices else None
        return self._device_id_cache

    @callback
    def async_set_reachable(self, reachable: bool) -> None:
        """Show the "no internet URL" repair while LOQED cannot reach us; the registry only on a change."""
        if reachable is not self._reachable:
            self._reachable = reachable
            async_reachability_issue(self.hass, self.config_entry.entry_id, self.name, reachable=reachable)

    @callback
    def async_start_watches(self) -> None:
        """Start what runs on its own: the OPEN fallback of a restored state, the silence check."""
        self._async_arm_timer(self.data)
        self._async_check_silence()
        self._cancel_watches.append(
            async_track_time_interval(
                self.hass, self._async_check_silence, SILENCE_CHECK_INTERVAL, cancel_on_shutdown=True
            )
        )

    @callback
    def _async_check_silence(self, _now: object = None) -> None:
        """Raise the repair while no event at all came for longer than the set hours.

        LOQED reports battery and signal every few hours, so a silence of a day means that the
        webhook was never entered on the portal, or was deleted there, or cannot get through.
        """
        hours = int(self.config_entry.options.get(CONF_SILENCE_HOURS, SILENCE_HOURS))
        since = self.data.last_event_at or self.config_entry.created_at.timestamp()
        self._async_set_silent(time.time() - since > hours * 3600, hours)

    @callback
    def _async_set_silent(self, silent: bool, hours: int | None = None) -> None:
        """Show or clear the repair; the issue registry is only touched on a change."""
        if silent is self._silent:
            return
        self._silent = silent
        hours = hours or int(self.config_entry.options.get(CONF_SILENCE_HOURS, SILENCE_HOURS))
        async_no_events_issue(self.hass, self.config_entry.entry_id, self.name, silent=silent, hours=hours)

    async def async_command(self, action: Action) -> None:
        """Send a command; show the transition until a webhook says where the lock went.

        Never resent: the client sends once, and an unclear outcome is reported, not retried.
        """
        target = _TARGET[action]
        self._async_publish(replace(self.data, moving_to=None if target == self.data.bolt_state else target))
        # Its confirmation may repeat, byte for byte, the events of a move to the same state
        # moments ago: those are no copies, so they are forgotten now (by any key, when ours
        # is not known).
        key_id = self.link.key_id
        self._copies.forget_where(
            lambda tag: tag == (key_id, target) or (key_id is None and isinstance(tag, tuple) and tag[1:] == (target,))
        )
        try:
            await self.link.async_send(action)
        except LoqedError as err:
            self._async_publish(replace(self.data, moving_to=None))
            raise self._async_translated(err) from err

    @callback
    def _async_publish(self, data: LockData, context: Context | None = None) -> None:
        """Hand `data` to the entities, persist it, and time out what must not last."""
        self.context = context
        previous = self.data
        if previous.lock_online is not data.lock_online and data.lock_online is not None:
            # Logged once per change: the entities go unavailable while the lock is offline.
            _LOGGER.info("%s: LOQED reports the lock %s", self.name, "online" if data.lock_online else "offline")
        self._changed_fields = data.changed_fields(previous)
        try:
            self.async_set_updated_data(data)
        finally:
            self._changed_fields = None
        self._store.async_delay_save(data)
        if (data.moving_to, data.bolt_state) != (previous.moving_to, previous.bolt_state):
            self._async_arm_timer(data)

    @callback
    @override
    def async_update_listeners(self) -> None:
        """Call the entities that show a field the publish changed (all, outside a publish).

        As Home Assistant's own does, a listener that fails is logged and the others are called.
        """
        changed = self._changed_fields
        if changed is None:
            listeners = tuple(update_callback for update_callback, _ in self._listeners.values())
        else:
            known = self._listeners_by_change.get(changed)
            listeners = known if known is not None else self._listeners_of(changed)
        for update_callback in listeners:
            try:
                update_callback()
            except Exception:
                _LOGGER.exception("%s: an entity failed to show the new data", self.name)

    def _listeners_of(self, changed: frozenset[str]) -> tuple[CALLBACK_TYPE, ...]:
        """Return, and remember, who shows one of the fields `changed`.

        Each entity listens with the fields it shows as its context (None: any field). Events
        change the same few combinations of fields, so each is worked out once.
        """
        if len(self._listeners_by_change) >= MAX_REMEMBERED_CHANGES:
            self._listeners_by_change.clear()
        listeners = tuple(
            update_callback
            for update_callback, fields in self._listeners.values()
            if not isinstance(fields, frozenset) or not changed.isdisjoint(fields)
        )
        self._listeners_by_change[changed] = listeners
        return listeners

    @callback
    @override
    def async_add_listener(self, update_callback: CALLBACK_TYPE, context: Any = None) -> Callable[[], None]:
        """Listen for data updates; who listens to what is worked out anew."""
        remove = super().async_add_listener(update_callback, context)
        self._listeners_by_change.clear()

        @callback
        def remove_listener() -> None:
            remove()
            self._listeners_by_change.clear()

        return remove_listener

    @callback
    def _async_arm_timer(self, data: LockData) -> None:
        if self._cancel_timer:
            self._cancel_timer()
            self._cancel_timer = None
        if data.moving_to is not None:
            timeout = self.config_entry.options.get(CONF_TRANSITION_TIMEOUT, TRANSITION_TIMEOUT_SECONDS)
            self._cancel_timer = async_call_later(self.hass, timeout, self._async_end_transition)
        elif data.bolt_state is BoltState.OPEN:
            self._cancel_timer = async_call_later(self.hass, OPEN_FALLBACK_SECONDS, self._async_open_fell_back)

    @callback
    def _async_end_transition(self, _now: object) -> None:
        """No event said where the lock went: say that Home Assistant no longer knows."""
        self._cancel_timer = None
        self._missed_confirmations += 1
        _LOGGER.warning(
            "%s: LOQED sent no event saying where the lock went; its state is unknown until one comes (%s in a row)",
            self.name,
            self._missed_confirmations,
        )
        if self._missed_confirmations == MISSED_CONFIRMATIONS_FOR_REPAIR:
            async_events_missing_issue(self.hass, self.config_entry.entry_id, self.name, missing=True)
        self._async_publish(replace(self.data, moving_to=None, bolt_state=None))
        if self.link.reconciles:
            self.config_entry.async_create_background_task(
                self.hass, self._async_reconcile_now(), f"{DOMAIN} read after a missing confirmation"
            )

    @callback
    def _async_open_fell_back(self, _now: object) -> None:
        self._cancel_timer = None
        self._async_publish(replace(self.data, bolt_state=BoltState.DAY_LOCK))

    @override
    async def async_shutdown(self) -> None:
        """Cancel a pending timer and save now; HA calls this on unload and at stop."""
        if self._cancel_timer:
            self._cancel_timer()
            self._cancel_timer = None
        while self._cancel_watches:
            self._cancel_watches.pop()()
        if self.data is not None:
            # A reload within the save delay must not read an old state and spend a status call.
            await self._store.async_save(self.data)
        await super().async_shutdown()


def _confirmation_tag(message: WebhookMessage) -> tuple[int | None, BoltState] | None:
    """Return (key id, state) of the movement a call carries, to forget it before a command."""
    for event in message.events:
        if isinstance(event, StateReached):
            return (event.operator.key_local_id, event.state)
        if isinstance(event, GoingToState):
            return (event.operator.key_local_id, event.target)
    return None


def _report_tag(message: WebhookMessage) -> tuple[str, ...]:
    """Return the kinds of report (battery, signal, online) a call carries.

    A report states a value: the newest of its kind supersedes the older ones, so that a value
    that changes back within seconds (online, offline, online) is applied, not taken for a copy.
    """
    return tuple(type(event).__name__ for event in message.events)
