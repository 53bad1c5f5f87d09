"""Use cases as plain functions over ports: receive, process, acknowledge, replay, send, sync."""
