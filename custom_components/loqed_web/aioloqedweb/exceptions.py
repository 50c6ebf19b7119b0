"""Errors raised by the LOQED web API client. Messages never contain credentials."""


class LoqedError(Exception):
    """Base class for every error of this package."""


class LoqedAuthError(LoqedError):
    """The API token or key was refused (401, 403, or a redirect to a login page)."""


class LoqedRateLimitedError(LoqedError):
    """LOQED answered 429: too many calls for this account."""


class LoqedBackingOffError(LoqedRateLimitedError):
    """No call was made: after a 429 the client waits until `blocked_until` (unix time)."""

    def __init__(self, blocked_until: float) -> None:
        """Store until when no call goes out."""
        super().__init__("backing off after LOQED rate-limited this account")
        self.blocked_until = blocked_until


class LoqedNotFoundError(LoqedError):
    """LOQED answered 404: the API key or lock no longer exists."""


class LoqedKeyDeletedError(LoqedNotFoundError):
    """The personal access token's own key was deleted in the LOQED app: commands get 404.

    Reads keep working; a new token (which gets a new key) is needed to move the locks again.
    """


class LoqedServerError(LoqedError):
    """LOQED answered with a 5xx status."""


class LoqedRequestRejectedError(LoqedError):
    """LOQED refused the request for another reason (an unexpected 4xx)."""


class LoqedResponseError(LoqedError):
    """The answer could not be understood (for example, a status that is not JSON)."""


class LoqedConnectionError(LoqedError):
    """The connection to LOQED could not be opened; nothing was sent."""


class LoqedTimeoutError(LoqedError):
    """The request was sent but no answer came in time; its outcome is unknown.

    A command that ends like this must not be sent again: it may have moved the lock.
    """


class LoqedClockSkewError(LoqedError):
    """The host's clock is too far from LOQED's; the lock refuses such signatures."""

    def __init__(self, skew_seconds: float) -> None:
        """Store how many seconds this host's clock is ahead (negative: behind)."""
        super().__init__(f"this host's clock is {skew_seconds:+.0f} s off LOQED's clock")
        self.skew_seconds = skew_seconds


class LoqedStatusBudgetExhaustedError(LoqedError):
    """The status budget is spent; the next call is allowed at `available_at`."""

    def __init__(self, available_at: float) -> None:
        """Store when the next status call is allowed (unix time)."""
        super().__init__("the status budget for this LOQED account is spent")
        self.available_at = available_at


class LoqedCredentialsError(LoqedError):
    """Pasted credentials could not be used; `reason` says why, `field` names the culprit."""

    def __init__(self, reason: str, field: str | None = None) -> None:
        """Store the machine-readable reason and the field it concerns."""
        super().__init__(f"{reason}: {field}" if field else reason)
        self.reason = reason
        self.field = field
