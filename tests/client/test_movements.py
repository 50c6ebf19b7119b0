"""How a movement was made: from the "going to" event before it, or from what came before."""

from custom_components.loqed_web.aioloqedweb import (
    BoltState,
    GoingToState,
    Method,
    MethodTracker,
    MotorStall,
    Operator,
    StateReached,
)

ANNA = Operator(3, "Anna")
KEYLESS = Operator()


def tracker() -> tuple[MethodTracker, list[float]]:
    now = [0.0]
    return MethodTracker(clock=lambda: now[0]), now


def reached(state: BoltState, operator: Operator = ANNA) -> StateReached:
    return StateReached(state, f"STATE_CHANGED_{state.name}", operator)


def test_a_reached_event_takes_the_method_of_the_going_to_event_before_it() -> None:
    methods, now = tracker()
    touch_to_open = GoingToState(BoltState.OPEN, "GO_TO_STATE_INSTANTOPEN_OPEN", ANNA)
    assert methods.method_for(touch_to_open) is Method.TOUCH_TO_OPEN
    now[0] = 1.0
    assert methods.method_for(reached(BoltState.OPEN)) is Method.TOUCH_TO_OPEN
    now[0] = 4.0  # the keyless latch after OPEN: automatic, not Touch to Open again
    assert methods.method_for(reached(BoltState.DAY_LOCK, KEYLESS)) is Method.AUTOMATIC
    now[0] = 30.0
    assert methods.method_for(reached(BoltState.NIGHT_LOCK, KEYLESS)) is Method.KNOB


def test_a_going_to_event_too_long_ago_says_nothing() -> None:
    methods, now = tracker()
    methods.method_for(GoingToState(BoltState.DAY_LOCK, "GO_TO_STATE_MANUAL_LOCK_REMOTE_LATCH", ANNA))
    now[0] = 30.1
    assert methods.method_for(reached(BoltState.DAY_LOCK)) is Method.UNKNOWN


def test_a_keyless_latch_is_automatic_only_within_ten_seconds_of_open() -> None:
    methods, now = tracker()
    methods.method_for(reached(BoltState.OPEN, KEYLESS))
    now[0] = 10.1
    assert methods.method_for(reached(BoltState.DAY_LOCK, KEYLESS)) is Method.KNOB


def test_a_keyed_latch_after_open_is_not_automatic() -> None:
    methods, now = tracker()
    methods.method_for(reached(BoltState.OPEN))
    now[0] = 3.0
    assert methods.method_for(reached(BoltState.DAY_LOCK)) is Method.UNKNOWN


def test_a_motor_stall_takes_the_method_of_its_move() -> None:
    methods, now = tracker()
    methods.method_for(GoingToState(BoltState.NIGHT_LOCK, "GO_TO_STATE_TOUCH_TO_LOCK", ANNA))
    now[0] = 2.0
    assert methods.method_for(MotorStall("MOTOR_STALL", ANNA)) is Method.TOUCH_TO_LOCK
    assert methods.method_for(MotorStall("MOTOR_STALL", ANNA)) is Method.UNKNOWN
