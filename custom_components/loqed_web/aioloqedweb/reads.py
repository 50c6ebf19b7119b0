"""What a read of LOQED (an API key's status call, an account's lock list) does to a lock's data."""

from dataclasses import dataclass, replace
from enum import StrEnum

from .integrations import LockList
from .models import LockStatus
from .state import LockData, apply_status, merge_list_status, read_is_current


class ReadSource(StrEnum):
    """Where a read came from."""

    STATUS = "status"  # the web API's status call (an API key; 12 per 12 hours)
    LOCK_LIST = "lock_list"  # the Integrations API's list of the account's locks (a token)


class ReadResult(StrEnum):
    """What a read did."""

    MISSING = "missing"  # the lock list left the lock out
    STALE = "stale"  # older than the newest event, or during a movement: not applied
    UNCHANGED = "unchanged"
    CORRECTED = "corrected"  # it changed what webhooks had said (one was missed)


@dataclass(frozen=True, slots=True)
class LockRead:
    """What one read said about a lock, and when it was asked for."""

    source: ReadSource
    status: LockStatus | None  # None: the account's lock list left the lock out
    requested_at: float  # unix time: a read is as old as its request

    @classmethod
    def from_list(cls, lock_list: LockList, lock_id: str) -> LockRead:
        """Return what the account's lock list says about `lock_id`."""
        lock = lock_list.locks.get(lock_id)
        return cls(ReadSource.LOCK_LIST, None if lock is None else lock.status, lock_list.requested_at)


def apply_read(data: LockData, read: LockRead) -> tuple[LockData, ReadResult]:
    """Return `data` with what `read` says, and what that did.

    Webhooks are the source of truth: a read never replaces a movement under way or an event
    newer than the read (see `read_is_current`). A lock the list leaves out keeps what is known.
    """
    if read.status is None:
        return (data if data.in_account is False else replace(data, in_account=False)), ReadResult.MISSING
    if not read_is_current(data, read.requested_at):
        listed = data.in_account if read.source is ReadSource.STATUS else True
        return replace(data, status_fetched_at=read.requested_at, in_account=listed), ReadResult.STALE
    if read.source is ReadSource.STATUS:
        merged = apply_status(data, read.status, read.requested_at)
    else:
        merged = merge_list_status(data, read.status, read.requested_at)
    unread = replace(merged, status_fetched_at=data.status_fetched_at, known=data.known, in_account=data.in_account)
    changed = unread != data
    return merged, ReadResult.CORRECTED if changed else ReadResult.UNCHANGED
