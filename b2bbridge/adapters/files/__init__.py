"""Configuration files on disk: partner profiles, connector definitions and mapping tables."""
