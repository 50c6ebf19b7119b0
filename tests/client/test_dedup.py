"""Copies of a delivery are recognised, even with other deliveries in between."""

from custom_components.loqed_web.aioloqedweb import DuplicateFilter


def clocked(window: float = 10, max_remembered: int = 256) -> tuple[DuplicateFilter, list[float]]:
    now = [0.0]
    return DuplicateFilter(window=window, clock=lambda: now[0], max_remembered=max_remembered), now


def test_a_copy_within_the_window_is_a_repeat_and_later_it_is_new() -> None:
    seen, now = clocked()
    assert not seen.is_repeat("locked")
    now[0] = 9.9
    assert seen.is_repeat("locked")
    now[0] = 10.0  # ten seconds after it was first seen: a new delivery
    assert not seen.is_repeat("locked")


def test_a_copy_after_other_deliveries_is_still_a_repeat() -> None:
    # The real sequence after Touch to Open: go to OPEN, OPEN, latch, then their copies.
    seen, now = clocked()
    originals = ["go to open", "open", "latch"]
    for at, item in zip((0.0, 1.0, 4.0), originals, strict=True):
        now[0] = at
        assert not seen.is_repeat(item)
    for at, item in zip((4.1, 5.0, 7.9), originals, strict=True):
        now[0] = at
        assert seen.is_repeat(item), item


def test_a_copy_does_not_extend_the_window() -> None:
    seen, now = clocked()
    assert not seen.is_repeat("open")
    now[0] = 6.0
    assert seen.is_repeat("open")
    now[0] = 12.0  # 12 s after the first delivery, 6 s after the copy: new
    assert not seen.is_repeat("open")


def test_forget_by_tag_makes_the_next_identical_delivery_new() -> None:
    seen, _ = clocked()
    assert not seen.is_repeat("unlocked by key 2", tag=(2, "day_lock"))
    assert not seen.is_repeat("locked by key 2", tag=(2, "night_lock"))
    seen.forget((2, "day_lock"))
    assert not seen.is_repeat("unlocked by key 2")
    assert seen.is_repeat("locked by key 2")


def test_memory_is_bounded_by_dropping_the_oldest() -> None:
    seen, _ = clocked(max_remembered=3)
    for item in ("a", "b", "c", "d"):
        assert not seen.is_repeat(item)
    assert not seen.is_repeat("a")  # dropped to make room for "d"
    assert seen.is_repeat("d")


def test_a_superseding_item_makes_older_ones_of_its_tag_new_again() -> None:
    seen, _ = clocked()
    assert not seen.is_repeat("online", tag="online report", supersedes=True)
    assert not seen.is_repeat("offline", tag="online report", supersedes=True)
    assert not seen.is_repeat("online", tag="online report", supersedes=True)  # back online: news
    assert seen.is_repeat("online", tag="online report", supersedes=True)  # its copy is not


def remembered_tags(seen: DuplicateFilter) -> list[object]:
    """Return the tags the filter still holds, forgetting none of them."""
    tags: list[object] = []

    def record(tag: object) -> bool:
        tags.append(tag)
        return False

    seen.forget_where(record)
    return tags


def test_dropped_and_expired_deliveries_leave_no_tag_behind() -> None:
    seen, now = clocked(max_remembered=2)
    for index in range(5):
        assert not seen.is_repeat(f"delivery {index}", tag=index)
    assert remembered_tags(seen) == [3, 4]  # the three oldest were dropped, with their tags
    now[0] = 10.0
    assert not seen.is_repeat("later", tag="later")
    assert remembered_tags(seen) == ["later"]  # the others expired


def test_a_superseding_report_forgets_only_its_own_tag_among_many() -> None:
    seen, _ = clocked()
    for index in range(200):
        assert not seen.is_repeat(f"movement {index}", tag=(3, index))
    assert not seen.is_repeat("battery 50", tag="battery", supersedes=True)
    assert not seen.is_repeat("battery 49", tag="battery", supersedes=True)
    assert not seen.is_repeat("battery 50", tag="battery", supersedes=True)  # news again
    assert all(seen.is_repeat(f"movement {index}") for index in range(200))
