"""The credentials parser finds the fields in whatever the portal shows."""

import json
from dataclasses import asdict

import pytest

from custom_components.loqed_web.aioloqedweb import (
    Capability,
    Credentials,
    LoqedCredentialsError,
    Problem,
    parse_credentials,
)
from custom_components.loqed_web.aioloqedweb.credentials import normalize_field

LOCK_ID = "Yq1gK4oeE9KWe0ByxjX2"
OLD_LOCK_ID = "6148"
TOKEN = "tok+en/With=Plus"
TOKEN_IN_URL = "tok%2Ben%2FWith%3DPlus"
KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
API_KEY = "apiKEY123"
INTEGRATION_INFO = json.dumps(
    {
        "lock_id": LOCK_ID,
        "lock_key_local_id": 2,
        "lock_key_key": KEY,
        "backend_key": "YmFja2VuZA==",
        "bridge_key": "YnJpZGdl",
        "bridge_ip": "192.168.1.20",
        "bridge_mdns_hostname": "LOQED-aabbccddeeff.local",
    },
    indent=2,
)
STATUS_URL = f"https://app.loqed.com/API/lock_status.php?api_token={TOKEN_IN_URL}&lock_id={LOCK_ID}"
OPEN_URL = (
    f"https://gateway.production.loqed.com/v1/locks/{OLD_LOCK_ID}/state?lock_api_key={API_KEY}"
    f"&api_token={TOKEN_IN_URL}&lock_state=OPEN&local_key_id=2"
)
LABELS = f"""API token: {TOKEN}
Lock ID: {LOCK_ID}
Lock ID (old): {OLD_LOCK_ID}
Local key ID: 2
Key: {KEY}
API key: {API_KEY}
"""
EVERYTHING = Credentials(TOKEN, LOCK_ID, OLD_LOCK_ID, 2, KEY, API_KEY)


def test_integration_information_json() -> None:
    found = parse_credentials(INTEGRATION_INFO)
    assert found == Credentials(lock_id=LOCK_ID, local_key_id=2, key=KEY)
    assert found.capabilities == frozenset()
    assert found.missing_for(Capability.LOCAL_SIGNING) == ("api_token",)
    assert found.key_bytes == bytes(range(32))


def test_status_url_gives_read_status() -> None:
    found = parse_credentials(STATUS_URL)
    assert found == Credentials(api_token=TOKEN, lock_id=LOCK_ID)
    assert found.capabilities == {Capability.READ_STATUS}


def test_gateway_url_gives_server_signing() -> None:
    found = parse_credentials(OPEN_URL)
    assert found == Credentials(api_token=TOKEN, old_lock_id=OLD_LOCK_ID, local_key_id=2, api_key=API_KEY)
    assert found.capabilities == {Capability.SERVER_SIGNING}
    assert found.missing_for(Capability.READ_STATUS) == ("lock_id",)


def test_self_signed_command_url() -> None:
    url = f"https://app.loqed.com/API/lock_command.php?api_token={TOKEN_IN_URL}&lock_id={LOCK_ID}&command_signed_base64=AgcA"
    assert parse_credentials(url) == Credentials(api_token=TOKEN, lock_id=LOCK_ID)


def test_label_lines() -> None:
    assert parse_credentials(LABELS) == EVERYTHING


def test_labels_with_values_on_the_next_line_as_copied_from_a_page() -> None:
    text = f"API token\n{TOKEN}\nLock ID\n{LOCK_ID}\nLock ID (old)\n{OLD_LOCK_ID}\nLocal key ID\n2\n"
    assert parse_credentials(text) == Credentials(TOKEN, LOCK_ID, OLD_LOCK_ID, 2)


def test_tab_separated_table_rows() -> None:
    assert parse_credentials(f"Lock ID\t{LOCK_ID}\nAPI key\t{API_KEY}") == Credentials(lock_id=LOCK_ID, api_key=API_KEY)


def test_everything_pasted_together_gives_every_capability() -> None:
    found = parse_credentials(f"{INTEGRATION_INFO}\n\nOpen: {OPEN_URL}\nStatus: {STATUS_URL}\nAPI key: {API_KEY}")
    assert found == EVERYTHING
    assert found.capabilities == set(Capability)


def test_json_inside_other_text_and_a_numeric_lock_id() -> None:
    text = 'Integration information {"lock_id": 6148, "lock_key_local_id": "2"} trailing {not json}'
    assert parse_credentials(text) == Credentials(old_lock_id=OLD_LOCK_ID, local_key_id=2)


def test_raw_plus_in_a_url_token_stays_a_plus() -> None:
    url = f"https://app.loqed.com/API/lock_status.php?api_token=a+b&lock_id={LOCK_ID}"
    assert parse_credentials(url).api_token == "a+b"


def test_url_safe_and_unpadded_key_is_normalised() -> None:
    assert parse_credentials("Key: _-8" + "A" * 40).key == "/+8" + "A" * 40 + "="


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("Key: c2hvcnQ=", "key"),
        ("Key: not*base64", "key"),
        ("Local key ID: 300", "local_key_id"),
        ("Local key ID: two", "local_key_id"),
        ("Lock ID: short", "lock_id"),
        ("Lock ID (old): 61a", "old_lock_id"),
        ('{"lock_key_key": 5}', "key"),
    ],
)
def test_invalid_fields_are_named(text: str, field: str) -> None:
    with pytest.raises(LoqedCredentialsError) as raised:
        parse_credentials(text)
    assert (raised.value.reason, raised.value.field) == (Problem.INVALID_FIELD, field)


def test_conflicting_values_are_refused() -> None:
    with pytest.raises(LoqedCredentialsError) as raised:
        parse_credentials(f"Lock ID: {LOCK_ID}\nLock ID: ZZZZZZZZZZZZZZZZZZZZ")
    assert (raised.value.reason, raised.value.field) == (Problem.CONFLICT, "lock_id")


def test_the_same_value_twice_is_no_conflict() -> None:
    assert parse_credentials(f"{STATUS_URL}\nLock ID: {LOCK_ID}").lock_id == LOCK_ID


@pytest.mark.parametrize("text", ["", "   \n", "hello world", '{"bridge_ip": "192.168.1.20"}', "Colour: blue"])
def test_nothing_found(text: str) -> None:
    with pytest.raises(LoqedCredentialsError) as raised:
        parse_credentials(text)
    assert raised.value.reason == Problem.NOTHING_FOUND
    assert raised.value.field is None


def test_key_bytes_needs_a_key() -> None:
    with pytest.raises(ValueError, match="no Key"):
        _ = Credentials().key_bytes


def test_error_text_names_the_field_but_not_the_value() -> None:
    with pytest.raises(LoqedCredentialsError) as raised:
        parse_credentials("Key: c2hvcnQ=")
    assert str(raised.value) == "invalid_field: key"


@pytest.mark.parametrize(
    ("name", "raw", "value"),
    [
        ("local_key_id", " 7 ", 7),
        ("local_key_id", 0, 0),
        ("old_lock_id", 6148, "6148"),
        ("api_token", "abc+/=", "abc+/="),
        ("key", KEY.rstrip("="), KEY),
    ],
)
def test_normalize_field_for_typed_input(name: str, raw: object, value: object) -> None:
    assert normalize_field(name, raw) == value


@pytest.mark.parametrize(("name", "raw"), [("api_token", "a b"), ("api_key", ""), ("lock_id", None)])
def test_normalize_field_refuses(name: str, raw: object) -> None:
    with pytest.raises(LoqedCredentialsError, match=name):
        normalize_field(name, raw)


def test_from_mapping_takes_the_fields_and_ignores_the_rest() -> None:
    data = {**asdict(EVERYTHING), "webhook_id": "x", "signing": "local"}
    assert Credentials.from_mapping(data) == EVERYTHING
    assert Credentials.from_mapping({}) == Credentials()
