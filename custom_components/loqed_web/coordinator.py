"""One lock's state: fed by LOQED's webhooks, corrected by reads, saved, published; its commands."""

import logging
import time
from collections.abc import Hashable
from contextlib import suppress
from dataclasses import replace
from typing import override

from homeassistant.core import Context, HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryAuthFailed, HomeAssistantError
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator
from homeassistant.util import dt as dt_util

from .activity import Activity
from .aioloqedweb import (
    Action,
    BoltState,
    EventInterpreter,
    LockData,
    LockIdentity,
    LockRead,
    LoqedBackingOffError,
    LoqedError,
    LoqedStatusBudgetExhaustedError,
    Outcome,
    ReadResult,
    ReadSource,
    Rejection,
    WebhookMessage,
    apply_read,
)
from .announce import async_announce
from .const import CONF_OLD_LOCK_ID, DOMAIN
from .errors import reaction_to, translated_error
from .health import HealthFacts, LockHealth
from .link import LockLink
from .runtime import LockConfig, LoqedConfigEntry
from .storage import LockStore
from .transitions import TransitionTimer

_LOGGER = logging.getLogger(__name__)

_IGNORED = {Outcome.COPY: "a copy of an earlier delivery", Outcome.FOREIGN: "a webhook call about another lock"}
# Nothing to do about these but wait: said at debug level.
_QUIET_READ_ERRORS = (LoqedStatusBudgetExhaustedError, LoqedBackingOffError)


class LockCoordinator(DataUpdateCoordinator[LockData]):
    """One lock: its last known state, what changes it, and its commands."""

    config_entry: LoqedConfigEntry

    def __init__(
        self, hass: HomeAssistant, entry: LoqedConfigEntry, lock: LockConfig, link: LockLink, store: LockStore
    ) -> None:
        """Create the coordinator; push only, so there is no update interval."""
        super().__init__(hass, _LOGGER, config_entry=entry, name=lock.title, update_interval=None)
        self.lock = lock
        self.link = link
        self._store = store
        self.interpreter = EventInterpreter(LockIdentity(lock.lock_id, lock.old_lock_id), command_key_id=link.key_id)
        self.activity = Activity()
        self.health = LockHealth(hass, entry, lock)
        self._timer = TransitionTimer(hass, entry, self._async_transition_timed_out, self._async_open_fell_back)
        self._last_read_at: float | None = None  # when the newest read taken in was asked for
        # The context of a change LOQED reported: the state writes share its logbook entry's.
        self.context: Context | None = None
        self.lock_entity_id: str | None = None  # these two are set by the lock entity once it is added
        self.device_id: str | None = None

    @property
    def facts(self) -> HealthFacts:
        """Return what the lock's repairs are derived from."""
        return self._store.facts

    @override
    async def _async_setup(self) -> None:
        """Restore what was known before the restart, and the recent webhook calls."""
        self.data = await self._store.async_load()
        self.activity = Activity(self._store.stored_deliveries)
        self._store.deliveries_source = self.activity.stored_deliveries

    @override
    async def _async_update_data(self) -> LockData:
        """Return the known state, corrected by a read of LOQED when one is due."""
        try:
            read = await self.link.async_read(self.data.status_fetched_at)
        except LoqedError as err:
            reaction = reaction_to(err)
            if reaction.reauth:
                raise ConfigEntryAuthFailed(translation_domain=DOMAIN, translation_key=reaction.key) from err
            level = logging.DEBUG if isinstance(err, _QUIET_READ_ERRORS) else logging.INFO
            _LOGGER.log(level, "%s: could not read the lock (%s); waiting for LOQED's webhooks", self.name, err)
            return self.data
        merged = None if read is None else self._merged(read)  # into the newest: a webhook may have come
        if merged is None:
            return self.data
        self._store.async_delay_save(merged)
        return merged

    async def async_read_now(self) -> None:
        """Read the lock now (the user asked); raise a translated error if it fails."""
        try:
            read = await self.link.async_read(self.data.status_fetched_at, fresh=True)
        except LoqedError as err:
            raise translated_error(self.hass, self.config_entry, err) from err
        if read is not None:
            self.async_apply_read(read)

    @callback
    def async_apply_read(self, read: LockRead) -> None:
        """Show what a read of LOQED says (the account's lock list, a flow's status check)."""
        if (merged := self._merged(read)) is not None:
            self._async_publish(merged)

    def _merged(self, read: LockRead) -> LockData | None:
        """Return the newest data with `read` (see `apply_read`); None if that read was taken in already.

        Every read comes through here (start-up, update_entity, the lock list, the status button,
        after a lost confirmation), so none goes backwards; one list read may reach a lock twice.
        """
        data = self.data
        if self._last_read_at is not None and read.requested_at <= self._last_read_at:
            return None
        self._last_read_at = read.requested_at
        merged, result = apply_read(data, read)
        if read.source is ReadSource.LOCK_LIST:
            self._note_listed(merged, result is not ReadResult.MISSING, read.requested_at)
        if result is ReadResult.STALE:
            self.activity.record_stale_read(read.source.value, dt_util.utcnow())
        elif result is ReadResult.CORRECTED and data.known:  # a first read corrects nothing
            _LOGGER.debug("%s: the %s corrected what LOQED's webhooks missed: %s", self.name, read.source, merged)
            self.activity.record_correction(read.source.value, (data, merged), dt_util.utcnow())
        return merged

    def _note_listed(self, data: LockData, listed: bool, requested_at: float) -> None:
        """Count the lock list reads that leave the lock out: after a day of them, a repair."""
        facts = self.facts.listed(listed, requested_at)
        if facts == self.facts:
            return
        if facts.missed_reads <= 1:  # once when it goes, once when it comes back
            said = "listed again" if listed else "missing from LOQED's lock list: unavailable until a read names it"
            _LOGGER.info("%s: %s", self.name, said)
        self._store.async_save_facts(facts)
        self.health.update(data, facts)

    @callback
    def async_webhook_replaced(self) -> None:
        """Count silence and lost confirmations anew from now: the lock has a new webhook URL."""
        self._store.async_save_facts(replace(self.facts, missed_confirmations=0, listening_since=time.time()))

    @callback
    def async_record_rejection(self, rejection: Rejection) -> None:
        """Remember a webhook call that changed nothing (for diagnostics)."""
        self.activity.record_rejection(rejection, dt_util.utcnow())

    @callback
    def async_handle_message(self, message: WebhookMessage, delivery: Hashable) -> None:
        """Apply one webhook call, as the interpreter reads it; announce its movements."""
        before = self.data
        result = self.interpreter.interpret(before, message, delivery)
        self.activity.record(message, result, before, dt_util.utcnow())
        if result.outcome is not Outcome.APPLIED:
            _LOGGER.debug("%s: ignored %s", self.name, _IGNORED[result.outcome])
            return
        if result.learnt_lock_id is not None:
            self._async_keep_learnt_id(result.learnt_lock_id)
        if result.confirms and self.facts.missed_confirmations:
            self._store.async_save_facts(replace(self.facts, missed_confirmations=0))  # events arrive again
        # One line in the logbook per movement: a movement that ends is announced, and the state
        # writes it causes share that line's context instead of naming each other as their cause.
        context = None
        for operation in result.operations:
            if operation.announced:
                context = context or Context()
                async_announce(self.hass, self, operation, context)
        self._async_publish(result.data, context)
        if self.health.repairs.shown:
            self.health.update(result.data, self.facts)
        self.health.set_reachable(True)  # LOQED got through

    @callback
    def _async_keep_learnt_id(self, old_lock_id: str) -> None:
        """Keep the numeric id LOQED's webhooks name the lock by (a token's lock list does not give it)."""
        _LOGGER.info("%s: LOQED's webhooks name this lock %s", self.name, old_lock_id)
        entry = self.config_entry
        if self.lock.subentry_id is not None and (subentry := entry.subentries.get(self.lock.subentry_id)):
            data = {**subentry.data, CONF_OLD_LOCK_ID: old_lock_id}
            self.hass.config_entries.async_update_subentry(entry, subentry, data=data)

    async def async_command(self, action: Action) -> None:
        """Send a command once; show the transition until a webhook says where the lock went."""
        target = action.target
        self._async_publish(replace(self.data, moving_to=None if target == self.data.bolt_state else target))
        self.interpreter.expect_command(target)
        try:
            await self.link.async_send(action)  # never resent: an unclear outcome is reported
        except LoqedError as err:
            self._async_publish(replace(self.data, moving_to=None))
            raise translated_error(self.hass, self.config_entry, err) from err

    @callback
    def _async_publish(self, data: LockData, context: Context | None = None) -> None:
        """Hand `data` to the entities, persist it, and time out what must not last."""
        self.context = context
        previous = self.data
        if previous is not None and previous.lock_online is not data.lock_online and data.lock_online is not None:
            # Logged once per change: the entities go unavailable while the lock is offline.
            _LOGGER.info("%s: LOQED reports the lock %s", self.name, "online" if data.lock_online else "offline")
        self.async_set_updated_data(data)
        self._store.async_delay_save(data)
        self._timer.follow(data)

    @callback
    def async_start(self) -> None:
        """Start what runs on its own: the timers a restored state needs, the repairs' checks."""
        self._timer.follow(self.data)
        self.health.async_start(self.config_entry, lambda: (self.data, self.facts))

    @callback
    def _async_transition_timed_out(self) -> None:
        """No event said where the lock went: say that Home Assistant no longer knows."""
        facts = replace(self.facts, missed_confirmations=self.facts.missed_confirmations + 1)
        self._store.async_save_facts(facts)
        missed = facts.missed_confirmations
        _LOGGER.warning("%s: no event said where the lock went (%s in a row): state unknown", self.name, missed)
        self._async_publish(replace(self.data, moving_to=None, bolt_state=None))
        self.health.update(self.data, facts)
        if self.link.reads_cheaply:  # a read costs no budget: it may tell where the lock went
            self.config_entry.async_create_background_task(
                self.hass, self._async_read_quietly(), f"{DOMAIN} read after a lost confirmation"
            )

    async def _async_read_quietly(self) -> None:
        with suppress(HomeAssistantError):  # the state stays unknown until an event or a read says
            await self.async_read_now()

    @callback
    def _async_open_fell_back(self) -> None:
        self._async_publish(replace(self.data, bolt_state=BoltState.DAY_LOCK))

    @override
    async def async_shutdown(self) -> None:
        """Cancel a pending timer and save now; Home Assistant calls this on unload and at stop."""
        self._timer.cancel()
        if self.data is not None:
            # A reload within the save delay must not read an old state and spend a status call.
            await self._store.async_save(self.data)
        await super().async_shutdown()
