"""A repeated delivery is recognised; the same event after another one is not a repeat."""

from custom_components.loqed_web.aioloqedweb import DuplicateFilter


def test_repeats_within_the_window() -> None:
    now = [0.0]
    seen = DuplicateFilter(window=10, clock=lambda: now[0])
    assert not seen.is_repeat("locked")
    now[0] = 9.9
    assert seen.is_repeat("locked")
    now[0] = 10.0  # ten seconds after it was first seen: a new delivery
    assert not seen.is_repeat("locked")


def test_the_same_event_after_another_one_is_new() -> None:
    now = [0.0]
    seen = DuplicateFilter(window=10, clock=lambda: now[0])
    assert not seen.is_repeat("locked")
    assert not seen.is_repeat("unlocked")
    assert not seen.is_repeat("locked")  # locked, unlocked, locked again within seconds
    assert seen.is_repeat("locked")
