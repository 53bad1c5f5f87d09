"""Connectors that move bytes to and from partners, one kind per module."""
