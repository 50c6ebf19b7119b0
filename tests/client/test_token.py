"""A personal access token is found in a paste, and its expiry read from the `exp` claim."""

import base64
import json

import pytest

from custom_components.loqed_web.aioloqedweb import LoqedCredentialsError, find_access_token


def jwt(claims: object) -> str:
    def part(value: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()

    return f"{part({'alg': 'RS256', 'typ': 'JWT'})}.{part(claims)}.c2lnbmF0dXJl"


TOKEN = jwt({"sub": "42", "exp": 1_800_000_000, "aud": "1"})


@pytest.mark.parametrize("text", [TOKEN, f"  Bearer {TOKEN}\n", f"Personal access token\n{TOKEN}\n"])
def test_a_token_is_found_wherever_it_is_pasted(text: str) -> None:
    token = find_access_token(text)
    assert token is not None
    assert (token.value, token.expires_at, token.subject) == (TOKEN, 1_800_000_000.0, "42")
    assert TOKEN not in repr(token)


def test_expiry_is_read_from_the_claim() -> None:
    token = find_access_token(TOKEN)
    assert token is not None
    assert not token.is_expired(1_799_999_999.0)
    assert token.is_expired(1_800_000_000.0)
    assert not token.expires_within(14 * 86400, 1_800_000_000.0 - 14 * 86400 - 1)
    assert token.expires_within(14 * 86400, 1_800_000_000.0 - 14 * 86400)


def test_a_token_without_exp_never_expires() -> None:
    token = find_access_token(jwt({"sub": "42"}))
    assert token is not None
    assert token.expires_at is None
    assert not token.is_expired(4e9)
    assert not token.expires_within(1e9, 4e9)


@pytest.mark.parametrize("text", ["", "api_token: abc", '{"lock_id": "x"}', "eyJabc.def"])
def test_other_pastes_hold_no_token(text: str) -> None:
    assert find_access_token(text) is None


@pytest.mark.parametrize("payload", ["bm90IGpzb24", base64.urlsafe_b64encode(b"[1, 2]").decode().rstrip("=")])
def test_a_token_with_unreadable_claims_is_refused(payload: str) -> None:
    with pytest.raises(LoqedCredentialsError) as refused:
        find_access_token(f"eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln")
    assert refused.value.field == "access_token"
