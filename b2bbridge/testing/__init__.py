"""Contract suites and fakes for connectors, stores and system adapters."""
