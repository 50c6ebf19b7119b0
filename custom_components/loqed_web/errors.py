"""One table for every client error: the message the user reads, and whether to ask for credentials.

The config flow, the options flow, the coordinator, commands and the status button all use it,
so a deleted API key (404) starts re-authentication wherever it is met.
"""

from dataclasses import dataclass

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError

from .aioloqedweb import (
    LoqedAuthError,
    LoqedClockSkewError,
    LoqedConnectionError,
    LoqedError,
    LoqedKeyDeletedError,
    LoqedNotFoundError,
    LoqedRateLimitedError,
    LoqedServerError,
    LoqedStatusBudgetExhaustedError,
    LoqedTimeoutError,
)
from .const import DOMAIN


@dataclass(frozen=True, slots=True)
class Reaction:
    """What a client error means here."""

    key: str  # a translation key in config.error, options.error and exceptions alike
    reauth: bool = False  # the credentials no longer work: ask the user for new ones


# Most specific first: the first matching class wins.
_REACTIONS: tuple[tuple[type[LoqedError], Reaction], ...] = (
    (LoqedAuthError, Reaction("invalid_auth", reauth=True)),
    (LoqedKeyDeletedError, Reaction("key_deleted", reauth=True)),
    (LoqedNotFoundError, Reaction("key_not_found", reauth=True)),
    (LoqedRateLimitedError, Reaction("rate_limited")),
    (LoqedStatusBudgetExhaustedError, Reaction("budget_exhausted")),
    (LoqedClockSkewError, Reaction("clock_skew")),
    (LoqedTimeoutError, Reaction("no_answer")),
    (LoqedConnectionError, Reaction("cannot_connect")),
    (LoqedServerError, Reaction("server_error")),
    (LoqedError, Reaction("unknown")),
)
TRANSLATION_KEYS = frozenset(reaction.key for _, reaction in _REACTIONS)


def reaction_to(err: LoqedError) -> Reaction:
    """Return what `err` means to the user."""
    return next(reaction for kind, reaction in _REACTIONS if isinstance(err, kind))


def translated_error(hass: HomeAssistant, entry: ConfigEntry, err: LoqedError) -> HomeAssistantError:
    """Return the error to show for `err`, and ask for new credentials when they stopped working."""
    reaction = reaction_to(err)
    if reaction.reauth:
        entry.async_start_reauth(hass)
    skew = f"{err.skew_seconds:+.0f}" if isinstance(err, LoqedClockSkewError) else ""
    return HomeAssistantError(
        translation_domain=DOMAIN, translation_key=reaction.key, translation_placeholders={"skew": skew}
    )
