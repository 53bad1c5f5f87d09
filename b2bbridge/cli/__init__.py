"""The b2bbridge command line."""
