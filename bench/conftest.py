"""The benchmarks use the integration's test fixtures (a loaded lock against a mocked LOQED)."""

from tests.conftest import auto_enable_custom_integrations  # noqa: F401  # fixtures, by name
from tests.ha.conftest import (  # noqa: F401  # fixtures, by name
    entry,
    entry_data,
    external_url,
    loaded,
    loqed_base_url,
    status_mock,
)
