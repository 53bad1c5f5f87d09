"""The HTTP API: the HTTP connector's server side."""
