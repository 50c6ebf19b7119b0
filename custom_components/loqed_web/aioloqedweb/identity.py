"""Which lock a webhook call is about: a call that names a lock must name this one.

LOQED's webhooks name a lock by its old numeric id (observed 2026), sometimes by its 20-character
Lock ID, or not at all (the URL is the lock's own). A personal access token's lock list does not
give the numeric id, so a token's lock learns it from the first event that names one.
"""

import re
from enum import StrEnum

# LOQED's old lock ids are small positive numbers ("6148"); anything else is not one.
_NUMERIC_LOCK_ID = re.compile(r"[1-9][0-9]{0,9}")


class Verdict(StrEnum):
    """What a call's lock id says about whose it is."""

    OURS = "ours"
    LEARNT = "learnt"  # ours, and it taught us the numeric id
    FOREIGN = "foreign"


class LockIdentity:
    """The ids of one lock; the numeric id is learnt once when it is not known."""

    def __init__(self, lock_id: str, old_lock_id: str | None) -> None:
        """Know the lock by its Lock ID and, when known, its numeric id."""
        self.lock_id = lock_id
        self.old_lock_id = old_lock_id

    def check(self, named: str | None) -> Verdict:
        """Return whether a call naming `named` (None: no id) is about this lock; learn a numeric id."""
        if named is None or named in (self.lock_id, self.old_lock_id):
            return Verdict.OURS
        if self.old_lock_id is None and _NUMERIC_LOCK_ID.fullmatch(named):
            self.old_lock_id = named
            return Verdict.LEARNT
        return Verdict.FOREIGN
