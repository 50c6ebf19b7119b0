"""Runs the simulator and a real Home Assistant as processes, and talks to both over HTTP.

Used by scripts/develop (the demo) and by the end-to-end tests. Synchronous on purpose: it
drives processes from the outside, as a person with a browser or curl would.
"""

from .hass import HomeAssistantProcess
from .simulator import SimulatorProcess

__all__ = ["HomeAssistantProcess", "SimulatorProcess"]
