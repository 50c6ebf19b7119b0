"""Webhook bodies become typed events, or a typed rejection with a reason."""

import json
from typing import Any

import orjson
import pytest

from custom_components.loqed_web.aioloqedweb import (
    MAX_BODY_BYTES,
    BatteryReport,
    BoltState,
    GoingToState,
    Method,
    MotorStall,
    OnlineReport,
    Operator,
    Rejection,
    RejectReason,
    SignalReport,
    StateReached,
    WebhookMessage,
    parse_webhook,
)

ANNA = {
    "key_local_id": 3,
    "key_name_user": "Anna",
    "key_name_admin": "Anna's phone",
    "key_account_e-mail": "anna@example.com",
    "key_account_name": "Anna de Vries",
}
ANNA_OPERATOR = Operator(3, "Anna", "Anna's phone", "Anna de Vries", "anna@example.com")
NOBODY = dict.fromkeys(ANNA)


def parse(body: Any, **kwargs: Any) -> WebhookMessage | Rejection:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return parse_webhook(raw, **kwargs)


def events(body: Any, **kwargs: Any) -> tuple[object, ...]:
    message = parse(body, **kwargs)
    assert isinstance(message, WebhookMessage), message
    return message.events


@pytest.mark.parametrize(
    ("event_type", "requested", "state"),
    [
        ("STATE_CHANGED_OPEN", "OPEN", BoltState.OPEN),
        ("STATE_CHANGED_LATCH", "DAY_LOCK", BoltState.DAY_LOCK),
        ("STATE_CHANGED_NIGHT_LOCK", "NIGHT_LOCK", BoltState.NIGHT_LOCK),
        ("STATE_CHANGED_UNKNOWN", "UNKNOWN", BoltState.UNKNOWN),
    ],
)
def test_state_reached(event_type: str, requested: str, state: BoltState) -> None:
    body = {"lock_id": "6148", "requested_state": requested, "event_type": event_type, **ANNA}
    assert events(body) == (StateReached(state, event_type, ANNA_OPERATOR),)


def test_motor_stall() -> None:
    body = {"lock_id": "6148", "requested_state": "UNKNOWN", "event_type": "MOTOR_STALL", **NOBODY}
    assert events(body) == (MotorStall("MOTOR_STALL", Operator()),)


@pytest.mark.parametrize(
    ("event_type", "go_to", "target", "remote"),
    [
        ("GO_TO_STATE_INSTANTOPEN_OPEN", "OPEN", BoltState.OPEN, False),
        ("GO_TO_STATE_INSTANTOPEN_LATCH", "DAY_LOCK", BoltState.DAY_LOCK, False),
        ("GO_TO_STATE_MANUAL_UNLOCK_BLE_OPEN", "OPEN", BoltState.OPEN, False),
        ("GO_TO_STATE_MANUAL_LOCK_BLE_LATCH", "DAY_LOCK", BoltState.DAY_LOCK, False),
        ("GO_TO_STATE_MANUAL_LOCK_BLE_NIGHT_LOCK", "NIGHT_LOCK", BoltState.NIGHT_LOCK, False),
        ("GO_TO_STATE_TWIST_ASSIST_OPEN", "OPEN", BoltState.OPEN, False),
        ("GO_TO_STATE_TWIST_ASSIST_LATCH", "DAY_LOCK", BoltState.DAY_LOCK, False),
        ("GO_TO_STATE_TWIST_ASSIST_LOCK", "NIGHT_LOCK", BoltState.NIGHT_LOCK, False),
        ("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN", "OPEN", BoltState.OPEN, False),
        ("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON", "OPEN", BoltState.OPEN, False),
        ("GO_TO_STATE_TOUCH_TO_LOCK", "NIGHT_LOCK", BoltState.NIGHT_LOCK, False),
        ("GO_TO_STATE_MANUAL_UNLOCK_REMOTE_OPEN", "OPEN", BoltState.OPEN, True),
        ("GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH", "DAY_LOCK", BoltState.DAY_LOCK, True),
        ("GO_TO_STATE_MANUAL_LOCK_REMOTE_NIGHT_LOCK", "NIGHT_LOCK", BoltState.NIGHT_LOCK, True),
    ],
)
def test_going_to_state(event_type: str, go_to: str, target: BoltState, remote: bool) -> None:
    with_field = events({"lock_id": "6148", "go_to_state": go_to, "event_type": event_type, **ANNA})
    assert with_field == (GoingToState(target, event_type, ANNA_OPERATOR),)
    assert with_field[0].is_remote is remote  # type: ignore[attr-defined]  # a GoingToState, asserted above
    # Without go_to_state, the event type's last word names the target.
    assert events({"event_type": event_type}) == (GoingToState(target, event_type, Operator()),)


def test_signal_battery_and_online_together() -> None:
    body = {
        "lock_id": "6148",
        "ble_strength": 41,
        "wifi_strength": 77,
        "battery_percentage": 88,
        "online": "1",
    }
    assert events(body) == (SignalReport(77, 41), BatteryReport(88), OnlineReport(True))


def test_reports_may_come_separately() -> None:
    assert events({"battery_percentage": "12"}) == (BatteryReport(12),)
    assert events({"online": "0"}) == (OnlineReport(False),)
    assert events({"wifi_strength": "60"}) == (SignalReport(60, None),)


def test_minus_one_means_offline_not_minus_one_percent() -> None:
    assert events({"wifi_strength": -1, "ble_strength": -1, "battery_percentage": -1}) == (
        SignalReport(None, None),
        BatteryReport(None),
        OnlineReport(False),
    )


def test_old_firmware_dbm_values_are_accepted_and_not_offline() -> None:
    assert events({"ble_strength": -59, "wifi_strength": -100}) == (SignalReport(0, 82),)


def test_tolerance_strings_empty_strings_and_spelling() -> None:
    body = {
        "lockId": 6148,
        "Event-Type": "state_changed_latch",
        "requested_state": "day_lock",
        "key_local_id": "3",
        "key_name_user": "",
        "key_account_email": "anna@example.com",
        "value1": "ifttt extra",
    }
    assert events(body) == (
        StateReached(BoltState.DAY_LOCK, "state_changed_latch", Operator(3, account_email="anna@example.com")),
    )


@pytest.mark.parametrize("key_id", ["", None, 255, "255", " "])
def test_a_keyless_movement_drops_the_owners_names(key_id: object) -> None:
    owner = {"key_name_admin": "Anna de Vries", "key_account_name": "Anna de Vries", "key_account_email": "a@b.nl"}
    body = {"event_type": "STATE_CHANGED_LATCH", "key_local_id": key_id, "key_name_user": "", **owner}
    assert events(body) == (StateReached(BoltState.DAY_LOCK, "STATE_CHANGED_LATCH", Operator()),)


@pytest.mark.parametrize(
    ("event_type", "method"),
    [
        ("GO_TO_STATE_INSTANTOPEN_OPEN", Method.TOUCH_TO_OPEN),
        ("GO_TO_STATE_INSTANTOPEN_LATCH", Method.AUTO_UNLOCK),
        ("GO_TO_STATE_MANUAL_UNLOCK_BLE_OPEN", Method.APP),
        ("GO_TO_STATE_MANUAL_LOCK_BLE_LATCH", Method.APP),
        ("GO_TO_STATE_MANUAL_LOCK_BLE_NIGHT_LOCK", Method.APP),
        ("GO_TO_STATE_TWIST_ASSIST_OPEN", Method.KNOB),
        ("GO_TO_STATE_TWIST_ASSIST_LATCH", Method.KNOB),
        ("GO_TO_STATE_TWIST_ASSIST_LOCK", Method.KNOB),
        ("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_PIN", Method.KEYPAD),
        ("GO_TO_STATE_MANUAL_UNLOCK_VIA_OUTSIDE_MODULE_BUTTON", Method.OUTSIDE_BUTTON),
        ("GO_TO_STATE_TOUCH_TO_LOCK", Method.TOUCH_TO_LOCK),
        ("GO_TO_STATE_MANUAL_UNLOCK_REMOTE_OPEN", Method.REMOTE),
        ("GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH", Method.REMOTE),
        ("GO_TO_STATE_MANUAL_LOCK_REMOTE_NIGHT_LOCK", Method.REMOTE),
        ("", Method.UNKNOWN),
    ],
)
def test_the_going_to_event_type_names_the_method(event_type: str, method: Method) -> None:
    going = GoingToState(BoltState.OPEN, event_type, Operator())
    assert going.method is method
    assert going.is_remote is (method is Method.REMOTE)


def test_operator_names_are_capped_and_a_garbled_key_id_keeps_the_event() -> None:
    body = {"event_type": "STATE_CHANGED_OPEN", "key_local_id": "x", "key_name_user": "A" * 500}
    (event,) = events(body)
    assert isinstance(event, StateReached)
    assert event.operator == Operator(user_name="A" * 100)


@pytest.mark.parametrize(
    ("key_id", "expected"),
    [(1, 1), (True, None), ("1", 1), (1.0, 1), (1.5, None)],
)
def test_each_key_id_is_read_by_its_kind_though_equal_values_came_first(key_id: object, expected: int | None) -> None:
    """Operators are remembered per key: 1, True and 1.0 are equal in Python, but not alike here."""
    for earlier in (1, True, "1", 1.0, 1.5):  # seen first, so a cache that mixed them up would answer
        parse({"event_type": "STATE_CHANGED_OPEN", "key_local_id": earlier, "key_name_user": "Anna"})
    (event,) = events({"event_type": "STATE_CHANGED_OPEN", "key_local_id": key_id, "key_name_user": "Anna"})
    assert isinstance(event, StateReached)
    assert event.operator == Operator(expected, "Anna")


def test_a_list_or_object_where_a_name_belongs_is_left_out() -> None:
    body = {"event_type": "STATE_CHANGED_OPEN", "key_local_id": 3, "key_name_user": ["Anna"],
            "key_name_admin": {"name": "x"}, "key_account_name": "Anna de Vries"}  # fmt: skip
    (event,) = events(body)
    assert isinstance(event, StateReached)
    assert event.operator == Operator(3, account_name="Anna de Vries")


def test_operator_display_name_and_keyless() -> None:
    assert ANNA_OPERATOR.display_name == "Anna"
    assert Operator(account_name="Bob", admin_name="x").display_name == "Bob"
    assert Operator(admin_name="Front door PIN").display_name == "Front door PIN"
    assert Operator().is_keyless
    assert Operator().display_name is None
    assert not ANNA_OPERATOR.is_keyless


@pytest.mark.parametrize(
    ("lock_id", "read"),
    [
        ("Yq1gK4oeE9KWe0ByxjX2", "Yq1gK4oeE9KWe0ByxjX2"),
        (6148, "6148"),
        (" 6148 ", "6148"),
        (-5, "-5"),  # read as it is; whose it is, is the interpreter's question
        (1180591620717411303424, "1180591620717411303424"),  # over 64 bits: orjson refuses, json reads it
        ("", None),  # LOQED's "no value"
        (None, None),
    ],
)
def test_the_lock_id_is_read_as_text(lock_id: object, read: str | None) -> None:
    message = parse({"lock_id": lock_id, "online": 1})
    assert message == WebhookMessage(read, (OnlineReport(True),))


@pytest.mark.parametrize("lock_id", [6148.0, 6148.5, True, [6148], {"id": 6148}])
def test_a_lock_id_of_a_kind_no_lock_has_is_another_locks(lock_id: object) -> None:
    assert parse({"lock_id": lock_id, "online": 1}) == Rejection(
        RejectReason.WRONG_LOCK, "a lock id that cannot be read"
    )


def test_per_event_url_with_an_empty_body() -> None:
    assert events(b"", query={"event": "STATE_CHANGED_NIGHT_LOCK"}) == (
        StateReached(BoltState.NIGHT_LOCK, "STATE_CHANGED_NIGHT_LOCK", Operator()),
    )


def test_per_event_url_with_a_form_encoded_body() -> None:
    body = b"lock_id=6148&key_name_user=Anna&key_local_id=3"
    assert events(body, query={"event_type": "STATE_CHANGED_OPEN"}) == (
        StateReached(BoltState.OPEN, "STATE_CHANGED_OPEN", Operator(3, "Anna")),
    )


def test_body_fields_win_over_the_query() -> None:
    body = {"event_type": "STATE_CHANGED_OPEN"}
    assert events(body, query={"event_type": "STATE_CHANGED_NIGHT_LOCK"})[0] == StateReached(
        BoltState.OPEN, "STATE_CHANGED_OPEN", Operator()
    )


def test_state_fields_without_an_event_type() -> None:
    assert events({"requested_state": "NIGHT_LOCK"}) == (StateReached(BoltState.NIGHT_LOCK, "", Operator()),)
    assert events({"go_to_state": "OPEN"}) == (GoingToState(BoltState.OPEN, "", Operator()),)


@pytest.mark.parametrize(
    ("body", "rejection"),
    [
        (b"", Rejection(RejectReason.UNKNOWN_EVENT, "no event type")),
        (b"\xff\xfe\x00", Rejection(RejectReason.UNDECODABLE, "not UTF-8")),
        (b"hello", Rejection(RejectReason.UNDECODABLE, "neither JSON nor form data")),
        (b"[1, 2]", Rejection(RejectReason.NOT_AN_OBJECT, "list")),
        (b"null", Rejection(RejectReason.NOT_AN_OBJECT, "NoneType")),
        pytest.param(b"[" * 60_000, Rejection(RejectReason.UNDECODABLE, "neither JSON nor form data"), id="deep"),
        (b"{}", Rejection(RejectReason.UNKNOWN_EVENT, "no event type")),
        (b'{"event_type": "DOORBELL"}', Rejection(RejectReason.UNKNOWN_EVENT, "DOORBELL")),
        (
            b'{"event_type": "STATE_CHANGED_SIDEWAYS"}',
            Rejection(RejectReason.INVALID_FIELD, "requestedstate"),
        ),
        (
            b'{"event_type": "STATE_CHANGED_OPEN", "requested_state": 42}',
            Rejection(RejectReason.INVALID_FIELD, "requestedstate"),
        ),
        (b'{"go_to_state": "SIDEWAYS"}', Rejection(RejectReason.INVALID_FIELD, "gotostate")),
        (b'{"wifi_strength": "strong"}', Rejection(RejectReason.INVALID_FIELD, "wifistrength")),
        (b'{"ble_strength": 101}', Rejection(RejectReason.INVALID_FIELD, "blestrength")),
        (b'{"battery_percentage": 1e309}', Rejection(RejectReason.INVALID_FIELD, "batterypercentage")),
        (b'{"battery_percentage": NaN}', Rejection(RejectReason.INVALID_FIELD, "batterypercentage")),
        (b'{"battery_percentage": 250}', Rejection(RejectReason.INVALID_FIELD, "batterypercentage")),
        (b'{"online": "maybe"}', Rejection(RejectReason.INVALID_FIELD, "online")),
        (b'{"online": 7}', Rejection(RejectReason.INVALID_FIELD, "online")),
    ],
)
def test_rejections(body: bytes, rejection: Rejection) -> None:
    assert parse(body) == rejection


def test_bodies_over_the_cap_are_refused_before_parsing() -> None:
    assert parse(b" " * (MAX_BODY_BYTES + 1)) == Rejection(RejectReason.TOO_LARGE, f"{MAX_BODY_BYTES + 1} bytes")


def test_a_huge_integer_string_is_invalid_not_a_crash() -> None:
    body = b'{"battery_percentage": ' + b"9" * 5000 + b"}"
    assert parse(body) == Rejection(RejectReason.UNDECODABLE, "neither JSON nor form data")
    assert parse({"battery_percentage": "9" * 5000}) == Rejection(RejectReason.INVALID_FIELD, "batterypercentage")


def test_unknown_event_type_is_capped_in_the_reason() -> None:
    rejection = parse({"event_type": "X" * 1000})
    assert rejection == Rejection(RejectReason.UNKNOWN_EVENT, "X" * 100)


def test_an_unusable_report_field_is_dropped_and_the_rest_kept() -> None:
    body = {"event_type": "STATE_CHANGED_LATCH", "requested_state": "DAY_LOCK", "key_local_id": "3",
            "wifi_strength": "strong", "ble_strength": 40, "battery_percentage": "lots", "online": "maybe"}  # fmt: skip
    message = parse(body)
    assert isinstance(message, WebhookMessage)
    assert message.events == (
        StateReached(BoltState.DAY_LOCK, "STATE_CHANGED_LATCH", Operator(3)),
        SignalReport(None, 40),
    )
    assert message.dropped == ("wifistrength", "batterypercentage", "online")


def test_a_call_with_nothing_but_unusable_fields_is_rejected() -> None:
    assert parse({"wifi_strength": "strong", "online": "maybe"}) == Rejection(
        RejectReason.INVALID_FIELD, "wifistrength, online"
    )


def test_a_faster_decoder_refusing_a_number_costs_nothing() -> None:
    """orjson refuses NaN and integers over 64 bits; the standard decoder reads them instead."""
    body = json.dumps({"lock_id": 6148, "event_type": "STATE_CHANGED_OPEN", "key_local_id": 2**70,
                       "key_name_user": "Anna", "battery_percentage": float("nan")}).encode()  # fmt: skip
    with pytest.raises(orjson.JSONDecodeError):
        orjson.loads(body)
    message = parse(body, loads=orjson.loads)
    assert message == parse(body)
    assert message == WebhookMessage(
        "6148", (StateReached(BoltState.OPEN, "STATE_CHANGED_OPEN", Operator(None, "Anna")),), ("batterypercentage",)
    )


def test_a_faster_decoder_is_used_when_given() -> None:
    calls: list[bytes] = []

    def loads(body: bytes) -> Any:
        calls.append(body)
        return orjson.loads(body)

    body = json.dumps({"lock_id": 6148, "battery_percentage": 50}).encode()
    assert events(body, loads=loads) == (BatteryReport(50),)
    assert calls == [body]


@pytest.mark.parametrize(
    ("body", "state"),
    [
        ({"event_type": "STATE_CHANGED_OPEN", "eventType": "STATE_CHANGED_LATCH"}, BoltState.OPEN),
        ({"eventType": "STATE_CHANGED_LATCH", "event_type": "STATE_CHANGED_OPEN"}, BoltState.DAY_LOCK),
        ({"Event Type": "STATE_CHANGED_LATCH", "lock": 6148, "event_type": "STATE_CHANGED_OPEN"}, BoltState.DAY_LOCK),
    ],
)
def test_of_two_spellings_of_a_field_the_first_is_read(body: dict[str, Any], state: BoltState) -> None:
    """In every key layout (each is remembered once seen): the spelling that comes first wins."""
    for _ in range(2):
        (event,) = events(body)
        assert isinstance(event, StateReached)
        assert event.state is state
