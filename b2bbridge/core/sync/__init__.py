"""Synchronisation decisions: field ownership, change sets, watermarks, conflicts.

Pure: the sync services feed these functions the records and stamps the system adapters
read, and store what they return.
"""

from b2bbridge.core.sync.echo import fingerprint, is_echo
from b2bbridge.core.sync.flow import FlowSpec, flows_triggered_by
from b2bbridge.core.sync.ownership import Conflict, Merge, Offer, merge_change
from b2bbridge.core.sync.watermark import ChangeStamp, Watermark, advance, poll_start, select_fresh

__all__ = [
    "ChangeStamp",
    "Conflict",
    "FlowSpec",
    "Merge",
    "Offer",
    "Watermark",
    "advance",
    "fingerprint",
    "flows_triggered_by",
    "is_echo",
    "merge_change",
    "poll_start",
    "select_fresh",
]
