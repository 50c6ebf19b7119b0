"""Constants for the LOQED Web integration."""

from datetime import timedelta
from typing import Final

DOMAIN: Final = "loqed_web"
MANUFACTURER: Final = "LOQED"
MODEL: Final = "Touch Smart Lock"

CONF_CREDENTIALS: Final = "credentials"
CONF_SIGNING: Final = "signing"
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"
CONF_LOCK_ID: Final = "lock_id"
CONF_OLD_LOCK_ID: Final = "old_lock_id"
CONF_SKIP_STATUS_CHECK: Final = "skip_status_check"
CONF_TRANSITION_TIMEOUT: Final = "transition_timeout"
CONF_STATUS_BUDGET: Final = "status_budget"  # a field of the settings form, kept with the budget
# Where an entry's options kept the budget before it became one setting for all locks.
OLD_CONF_STATUS_BUDGET: Final = CONF_STATUS_BUDGET
CONF_SILENCE_HOURS: Final = "silence_hours"
CONF_RECONCILE_MINUTES: Final = "reconcile_minutes"

# The kind of config subentry that holds one lock of a personal access token's account.
SUBENTRY_LOCK: Final = "lock"

# Without a "reached" event (a command for the state the lock is already in, or a lost
# webhook), a transition ends after this and the lock's state becomes unknown.
TRANSITION_TIMEOUT_SECONDS: Final = 30
# After this many commands in a row without LOQED's "reached" event, a repair says that its
# events do not arrive (one can be lost; three in a row means the webhook is broken).
MISSED_CONFIRMATIONS_FOR_REPAIR: Final = 3
# After OPEN the lock falls back to DAY_LOCK by itself within seconds; shown if no event says so.
OPEN_FALLBACK_SECONDS: Final = 10.0
# LOQED reports battery and signal every few hours: no event at all for this long (an option)
# means the webhook is missing on the portal or cannot get through, and a repair says so.
SILENCE_HOURS: Final = 24
HEALTH_CHECK_INTERVAL: Final = timedelta(minutes=15)
# Fired on the bus for each movement ("Anna unlocked the door"); the logbook describes it.
EVENT_OPERATED: Final = f"{DOMAIN}_operated"
# The status call is spent at start-up only when the last one is older than this.
STATUS_MAX_AGE_SECONDS: Final = 12 * 3600.0

# An account's lock list is read this often to correct what LOQED's webhooks missed; 0 turns it off.
RECONCILE_MINUTES: Final = 15
# A lock the lock list leaves out this many reads in a row, over at least this long, has left
# the account: a repair offers to remove it. One missing read is a glitch of LOQED's list.
LEFT_ACCOUNT_READS: Final = 3
LEFT_ACCOUNT_AFTER: Final = timedelta(days=1)
# A repair warns this long before a personal access token expires.
TOKEN_EXPIRY_WARNING: Final = timedelta(days=14)
TOKEN_EXPIRY_CHECK_INTERVAL: Final = timedelta(hours=12)
