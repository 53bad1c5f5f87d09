"""External systems (ERP, WMS, CRM, storefront) behind one SystemAdapter protocol.

Importing :mod:`b2bbridge.adapters.systems.tryton` or ``.oscar`` registers its kind;
:func:`build_system` builds a system from its settings, and
:func:`~b2bbridge.adapters.systems.settings.load_sync_settings` reads the configuration.
"""

from b2bbridge.adapters.systems import oscar as _oscar  # noqa: F401 - registers "oscar"
from b2bbridge.adapters.systems import tryton as _tryton  # noqa: F401 - registers "tryton"
from b2bbridge.adapters.systems.base import build_system, register_system, system_kinds
from b2bbridge.adapters.systems.errors import SystemRejectedError, SystemUnavailableError
from b2bbridge.adapters.systems.settings import SyncSettings, load_sync_settings

__all__ = [
    "SyncSettings",
    "SystemRejectedError",
    "SystemUnavailableError",
    "build_system",
    "load_sync_settings",
    "register_system",
    "system_kinds",
]
