"""EDI syntax: streaming readers, envelope checks, writers and acknowledgements."""
