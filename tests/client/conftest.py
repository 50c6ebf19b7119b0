"""The client tests talk to real servers on loopback; HA's test plugin blocks sockets otherwise."""

import pytest


@pytest.fixture(autouse=True)
def loopback_sockets(socket_enabled: None) -> None:
    """Allow sockets; pytest-socket still refuses every host but 127.0.0.1."""
