"""The simulator runs in-process here, on loopback."""

import pytest


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Allow sockets; pytest-socket still refuses every host but 127.0.0.1."""
