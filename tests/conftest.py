"""Suite-wide set-up.

The ``tests`` folder is importable (for the shared ``e2e_support`` module). Property tests
never carry a time limit per example (this machine is shared and noisy, so a deadline is
a timed assertion in disguise), and on CI they are derandomized so that a run is
repeatable; locally they explore new examples each time.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile("local", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci" if os.environ.get("CI") else "local")
