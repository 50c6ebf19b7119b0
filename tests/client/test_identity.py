"""Whose a webhook call is: a call that names a lock must name this one."""

import pytest

from custom_components.loqed_web.aioloqedweb import LockIdentity, Verdict

LOCK_ID = "Yq1gK4oeE9KWe0ByxjX2"


@pytest.mark.parametrize("named", [None, LOCK_ID, "6148"])
def test_no_id_or_either_of_its_ids_is_ours(named: str | None) -> None:
    assert LockIdentity(LOCK_ID, "6148").check(named) is Verdict.OURS


@pytest.mark.parametrize(
    "named", ["9999", "-6148", "6148.0", "abc", "0", "1180591620717411303424", "BackDoor000000000002"]
)
def test_any_other_id_is_another_locks(named: str) -> None:
    identity = LockIdentity(LOCK_ID, "6148")
    assert identity.check(named) is Verdict.FOREIGN
    assert identity.old_lock_id == "6148"


def test_a_tokens_lock_learns_its_numeric_id_once_then_requires_it() -> None:
    identity = LockIdentity(LOCK_ID, None)
    assert identity.check(LOCK_ID) is Verdict.OURS  # the 20-character id teaches nothing
    assert identity.check("6000") is Verdict.LEARNT
    assert identity.old_lock_id == "6000"
    assert identity.check("6000") is Verdict.OURS
    assert identity.check("7000") is Verdict.FOREIGN


@pytest.mark.parametrize(
    "named",
    [
        "-5",  # negative
        "1180591620717411303424",  # huge: no lock has it
        "12345678901",  # eleven digits
        "0",
        "06148",  # a leading zero: not how LOQED writes a number
        "garbage",
        "6148 6149",
    ],
)
def test_what_cannot_be_a_numeric_id_is_not_learnt(named: str) -> None:
    identity = LockIdentity(LOCK_ID, None)
    assert identity.check(named) is Verdict.FOREIGN
    assert identity.old_lock_id is None
