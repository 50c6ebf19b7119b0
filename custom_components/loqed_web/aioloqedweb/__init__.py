"""A typed async client for LOQED's web API. It imports nothing from Home Assistant."""

from .budget import DEFAULT_LIMIT, LOQED_LIMIT, WINDOW_SECONDS, BudgetStore, StatusBudget
from .client import LoqedWebClient
from .credentials import Capability, Credentials, Problem, parse_credentials
from .dedup import DuplicateFilter
from .endpoints import BASE_URL_ENV, Hosts
from .exceptions import (
    LoqedAuthError,
    LoqedClockSkewError,
    LoqedConnectionError,
    LoqedCredentialsError,
    LoqedError,
    LoqedNotFoundError,
    LoqedRateLimitedError,
    LoqedRequestRejectedError,
    LoqedResponseError,
    LoqedServerError,
    LoqedStatusBudgetExhaustedError,
    LoqedTimeoutError,
)
from .models import Action, BatteryType, BoltState, LockStatus, SigningMode
from .signing import CommandLayout, encode_command, sign_command
from .status import parse_status
from .webhook import (
    MAX_BODY_BYTES,
    BatteryReport,
    GoingToState,
    MotorStall,
    OnlineReport,
    Operator,
    Rejection,
    RejectReason,
    SignalReport,
    StateReached,
    WebhookEvent,
    WebhookMessage,
    parse_webhook,
)

__all__ = [
    "BASE_URL_ENV",
    "DEFAULT_LIMIT",
    "LOQED_LIMIT",
    "MAX_BODY_BYTES",
    "WINDOW_SECONDS",
    "Action",
    "BatteryReport",
    "BatteryType",
    "BoltState",
    "BudgetStore",
    "Capability",
    "CommandLayout",
    "Credentials",
    "DuplicateFilter",
    "GoingToState",
    "Hosts",
    "LockStatus",
    "LoqedAuthError",
    "LoqedClockSkewError",
    "LoqedConnectionError",
    "LoqedCredentialsError",
    "LoqedError",
    "LoqedNotFoundError",
    "LoqedRateLimitedError",
    "LoqedRequestRejectedError",
    "LoqedResponseError",
    "LoqedServerError",
    "LoqedStatusBudgetExhaustedError",
    "LoqedTimeoutError",
    "LoqedWebClient",
    "MotorStall",
    "OnlineReport",
    "Operator",
    "Problem",
    "RejectReason",
    "Rejection",
    "SignalReport",
    "SigningMode",
    "StateReached",
    "StatusBudget",
    "WebhookEvent",
    "WebhookMessage",
    "encode_command",
    "parse_credentials",
    "parse_status",
    "parse_webhook",
    "sign_command",
]
