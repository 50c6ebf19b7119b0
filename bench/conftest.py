"""The benchmarks use the integration's test fixtures (a loaded lock against a mocked LOQED)."""

import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from functools import partial

import pytest
from homeassistant import util
from homeassistant.util import dt as dt_util

from tests.conftest import auto_enable_custom_integrations  # noqa: F401  # fixtures, by name
from tests.ha.conftest import (  # noqa: F401  # fixtures, by name
    entry,
    entry_data,
    external_url,
    loaded,
    loqed_base_url,
    status_mock,
)


@pytest.fixture(autouse=True)
def production_logging() -> Iterator[None]:
    """Log as Home Assistant does by default (its bootstrap): warnings and up, no access log.

    The test plugin logs at info level, which writes a line to the terminal for every request
    (aiohttp's access log): that would time the terminal, on both sides of every ratio.
    """
    loggers = (logging.getLogger(), logging.getLogger("aiohttp.access"))
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def production_clock() -> Iterator[None]:
    """Tell the time as Home Assistant does in production: `utcnow` is datetime.now, called in C.

    The test plugin makes it a Python function, so that freezegun finds it; each call on the
    timed paths (an event entity's trigger, an operation's time) would cost a Python frame
    that production does not have.
    """
    patched = dt_util.utcnow
    dt_util.utcnow = util.utcnow = partial(datetime.now, UTC)
    yield
    dt_util.utcnow = util.utcnow = patched
