"""The webhook LOQED's cloud calls: registration, its URL, and the request handler.

The handler reads at most MAX_BODY_BYTES, reads the body with the client, and hands the events
to the lock's coordinator. It never raises: anything unusable is logged at debug level and
changes nothing.
"""

import logging
from collections.abc import Callable, Mapping
from functools import partial
from http import HTTPStatus
from typing import Any

from aiohttp import StreamReader
from aiohttp.hdrs import METH_GET, METH_HEAD, METH_POST, METH_PUT
from aiohttp.web import Request, Response
from homeassistant.components import cloud, webhook
from homeassistant.const import CONF_WEBHOOK_ID
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.network import NoURLAvailableError, get_url
from homeassistant.util.json import json_loads

from .aioloqedweb import MAX_BODY_BYTES, Rejection, RejectReason, forget_remembered_reads, parse_webhook
from .const import CONF_CLOUDHOOK_URL, DOMAIN
from .coordinator import LockCoordinator
from .runtime import LoqedConfigEntry

_LOGGER = logging.getLogger(__name__)

# Harmless to the sender: LOQED may add events we do not know; another lock's event is no error.
_ACCEPTED_REJECTIONS = frozenset({RejectReason.WRONG_LOCK, RejectReason.UNKNOWN_EVENT})
# The methods Home Assistant's webhook view passes to a handler.
_ALL_METHODS = (METH_GET, METH_HEAD, METH_POST, METH_PUT)


async def async_create_webhook(hass: HomeAssistant) -> dict[str, str]:
    """Return the entry data of a new webhook: its id, and a cloudhook URL when Cloud is active."""
    webhook_id = webhook.async_generate_id()
    data = {CONF_WEBHOOK_ID: webhook_id}
    if "cloud" in hass.config.components and cloud.async_active_subscription(hass):
        try:
            data[CONF_CLOUDHOOK_URL] = await cloud.async_create_cloudhook(hass, webhook_id)
        except Exception as err:  # any Cloud failure: the instance's own URL still works
            _LOGGER.info(
                "Home Assistant Cloud made no cloudhook (%s); using this instance's own URL", type(err).__name__
            )
    return data


async def async_delete_cloudhook(hass: HomeAssistant, webhook_id: str, cloudhook_url: str | None, title: str) -> None:
    """Delete the cloudhook of a webhook, if it has one; a Cloud that fails leaves it behind."""
    if not cloudhook_url or "cloud" not in hass.config.components:
        return
    try:
        await cloud.async_delete_cloudhook(hass, webhook_id)
    except Exception as err:  # any Cloud failure: an unused cloudhook is harmless
        _LOGGER.info("Home Assistant Cloud did not delete the old cloudhook of %s (%s)", title, type(err).__name__)


async def async_replace_webhook(
    hass: HomeAssistant, old: Mapping[str, Any], title: str, save: Callable[[dict[str, Any]], object]
) -> str:
    """Give a lock a new webhook (and cloudhook) instead of `old`'s, and return its URL.

    `save` points the entry at the new data first, then the old cloudhook is deleted, so the
    entry never names a deleted one, whatever Home Assistant Cloud does. The old URL stops working
    when the entry's update listener sets the lock up again.
    """
    kept = {key: value for key, value in old.items() if key not in (CONF_WEBHOOK_ID, CONF_CLOUDHOOK_URL)}
    data = kept | await async_create_webhook(hass)
    save(data)
    await async_delete_cloudhook(hass, old[CONF_WEBHOOK_ID], old.get(CONF_CLOUDHOOK_URL), title)
    return async_webhook_url(hass, data)


@callback
def async_webhook_url(hass: HomeAssistant, entry_data: Mapping[str, Any]) -> str:
    """Return the URL to enter on the LOQED portal (may be internal: see the repair issue)."""
    if cloudhook := entry_data.get(CONF_CLOUDHOOK_URL):
        return str(cloudhook)
    try:
        return webhook.async_generate_url(hass, entry_data[CONF_WEBHOOK_ID])
    except NoURLAvailableError:
        return webhook.async_generate_path(entry_data[CONF_WEBHOOK_ID])


@callback
def async_internet_reachable(hass: HomeAssistant, cloudhook_url: str | None) -> bool:
    """Return whether LOQED's cloud can reach the webhook: a cloudhook, an external or a remote UI URL."""
    if cloudhook_url:
        return True
    try:
        get_url(hass, allow_internal=False, allow_cloud=True)
    except NoURLAvailableError:
        return False
    return True


@callback
def async_register_webhook(hass: HomeAssistant, entry: LoqedConfigEntry, coordinator: LockCoordinator) -> None:
    """Register the lock's handler, and unregister it when the entry unloads."""
    webhook_id = coordinator.lock.webhook_id
    webhook.async_register(
        hass,
        DOMAIN,
        coordinator.lock.title,
        webhook_id,
        partial(_async_handle_webhook, coordinator),
        local_only=False,
        # Every method reaches our handler: Home Assistant logs a refused method with the whole
        # webhook id at warning level, and the URL is the secret. We answer 405 ourselves.
        allowed_methods=_ALL_METHODS,
    )
    entry.async_on_unload(partial(webhook.async_unregister, hass, webhook_id))
    # What the handler remembered of LOQED's calls (names of key holders) goes with it.
    entry.async_on_unload(forget_remembered_reads)


async def _async_read_body(request: Request) -> bytes | None:
    """Return the body, or None when it is over MAX_BODY_BYTES (declared or found so)."""
    length = request.content_length
    if length is None:
        return await _async_read_capped(request.content)
    if length > MAX_BODY_BYTES:
        return None
    if request.content.is_eof():
        # A small body came with the headers: it is all in the buffer already.
        return request.content.read_nowait()
    # aiohttp reads no more than the declared length.
    return await request.read()


async def _async_read_capped(content: StreamReader) -> bytes | None:
    """Return the body, or None as soon as it exceeds MAX_BODY_BYTES."""
    body = b""
    while chunk := await content.read(MAX_BODY_BYTES + 1 - len(body)):
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            return None
    return body


async def _async_handle_webhook(
    coordinator: LockCoordinator, hass: HomeAssistant, _webhook_id: str, request: Request
) -> Response:
    """Read one call from LOQED's cloud and hand its events to the lock's coordinator."""
    name = coordinator.name
    if request.method != METH_POST:
        _LOGGER.debug("%s: refused a webhook call with method %s", name, request.method)
        return Response(status=HTTPStatus.METHOD_NOT_ALLOWED, headers={"Allow": METH_POST})
    body = await _async_read_body(request)
    if body is None:
        _LOGGER.debug("%s: ignored a webhook call: body over %s bytes", name, MAX_BODY_BYTES)
        return Response(status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
    # Most URLs have no query: no need to have aiohttp parse an empty one.
    query = request.query if request.query_string else None
    message = parse_webhook(body, query=query, loads=json_loads)
    if isinstance(message, Rejection):
        _LOGGER.debug("%s: ignored a webhook call: %s (%s)", name, message.reason, message.detail)
        coordinator.async_record_rejection(message)
        accepted = message.reason in _ACCEPTED_REJECTIONS
        return Response(status=HTTPStatus.OK if accepted else HTTPStatus.BAD_REQUEST)
    if message.dropped:
        _LOGGER.debug("%s: left out unusable field(s) of a webhook call: %s", name, ", ".join(message.dropped))
    coordinator.async_handle_message(message, delivery=(request.query_string, body))
    return Response(status=HTTPStatus.OK)
