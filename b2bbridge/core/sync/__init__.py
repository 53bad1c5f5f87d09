"""Synchronisation decisions: field ownership, change sets, watermarks, conflicts."""
