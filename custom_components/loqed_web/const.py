"""Constants for the LOQED Web integration."""

from typing import Final

DOMAIN: Final = "loqed_web"
MANUFACTURER: Final = "LOQED"
MODEL: Final = "Touch Smart Lock"

CONF_CREDENTIALS: Final = "credentials"
CONF_SIGNING: Final = "signing"
CONF_CLOUDHOOK_URL: Final = "cloudhook_url"
CONF_SKIP_STATUS_CHECK: Final = "skip_status_check"
CONF_TRANSITION_TIMEOUT: Final = "transition_timeout"
CONF_STATUS_BUDGET: Final = "status_budget"

# Without a "reached" event (a command for the state the lock is already in, or a lost
# webhook), a transition ends after this and the lock shows its last known state again.
TRANSITION_TIMEOUT_SECONDS: Final = 30
# After OPEN the lock falls back to DAY_LOCK by itself within seconds; shown if no event says so.
OPEN_FALLBACK_SECONDS: Final = 10.0
# Without any event this long after setup, the webhook was probably not entered on the portal.
FIRST_EVENT_GRACE_SECONDS: Final = 24 * 3600.0
# Fired on the bus for each movement ("Anna unlocked the door"); the logbook describes it.
EVENT_OPERATED: Final = f"{DOMAIN}_operated"
# The status call is spent at start-up only when the last one is older than this.
STATUS_MAX_AGE_SECONDS: Final = 12 * 3600.0
