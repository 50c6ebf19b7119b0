"""The webhook hands the parser Home Assistant's orjson decoder: faster, with the same results."""

from homeassistant.util.json import json_loads
from hypothesis import HealthCheck, given, settings

from custom_components.loqed_web.aioloqedweb import parse_webhook

from .test_hostile_webhook import bodies


@settings(max_examples=2000, deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(body=bodies)
def test_home_assistants_json_decoder_reads_every_body_as_the_standard_one(body: bytes) -> None:
    standard = parse_webhook(body)
    assert parse_webhook(body, loads=json_loads) == standard
