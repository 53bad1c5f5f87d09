"""The HTTP API: the HTTP connector's server side (FastAPI, served by ``b2bbridge serve``)."""

from b2bbridge.api.app import create_api

__all__ = ["create_api"]
