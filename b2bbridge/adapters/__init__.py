"""Adapters at the edge: the store, queues, connectors and external systems."""
