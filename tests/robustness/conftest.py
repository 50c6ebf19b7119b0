"""The robustness tests use the Home Assistant fixtures of tests/ha."""

# A configured lock against a mocked LOQED.
from tests.ha.conftest import (  # noqa: F401  # fixtures are found by name
    entry,
    entry_data,
    external_url,
    loaded,
    loqed_base_url,
    status_mock,
)
