"""Tolerant value readers: numbers as strings, empty strings as null."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest
from multidict import MultiDict, MultiDictProxy

from custom_components.loqed_web.aioloqedweb.values import read_flag, read_int, read_text, squash, squash_keys


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (5, 5),
        ("5", 5),
        (" -1 ", -1),
        ("+3", 3),
        (5.0, 5),
        ("5.00", 5),
        ("5.5", None),
        (5.5, None),
        (float("nan"), None),
        (float("inf"), None),
        (True, None),
        ("", None),
        (None, None),
        ([], None),
        ("1" * 19, None),
        ("0x10", None),
    ],
)
def test_read_int(raw: object, value: int | None) -> None:
    assert read_int(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [("  a ", "a"), ("", None), ("  ", None), (7, "7"), (1.5, None), (False, None), ({}, None)],
)
def test_read_text(raw: object, value: str | None) -> None:
    assert read_text(raw) == value


@pytest.mark.parametrize(
    ("raw", "value"),
    [(1, True), ("0", False), (True, True), ("TRUE", True), ("false", False), (2, None), ("yes", None)],
)
def test_read_flag(raw: object, value: bool | None) -> None:
    assert read_flag(raw) == value


def test_squash() -> None:
    assert squash("key_account_e-mail") == squash("keyAccountEmail") == "keyaccountemail"
    assert squash("Lock ID (old)") == "lockidold"


ITEMS = [("lock_id", "first"), ("event-type", "LATCH"), ("LockId", "second"), ("lock id", "third")]


@pytest.mark.parametrize(
    "fields",
    [dict(ITEMS), MappingProxyType(dict(ITEMS)), MultiDictProxy(MultiDict(ITEMS))],
    ids=["dict", "other mapping", "query"],
)
def test_squash_keys_keeps_the_first_spelling(fields: Mapping[str, Any]) -> None:
    assert squash_keys(fields) == {"lockid": "first", "eventtype": "LATCH"}
