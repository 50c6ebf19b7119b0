"""Repeated deliveries within the window are recognised; later ones are not."""

from custom_components.loqed_web.aioloqedweb import DuplicateFilter


def test_repeats_within_the_window() -> None:
    now = [0.0]
    seen = DuplicateFilter(window=10, clock=lambda: now[0])
    assert not seen.is_repeat("open")
    now[0] = 9.9
    assert seen.is_repeat("open")
    assert not seen.is_repeat("lock")
    now[0] = 10.0  # "open" was first seen 10 s ago: a new delivery
    assert not seen.is_repeat("open")
    now[0] = 19.9
    assert seen.is_repeat("lock")


def test_memory_stays_bounded_by_the_window() -> None:
    now = [0.0]
    seen = DuplicateFilter(window=10, clock=lambda: now[0])
    for index in range(10_000):
        now[0] = index * 0.01
        seen.is_repeat(index)
    assert len(seen._seen) <= 1001
