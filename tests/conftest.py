"""Suite-wide set-up: the ``tests`` folder is importable, for the shared e2e support module."""
