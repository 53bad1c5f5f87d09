"""The pure domain core: EDI syntax, validation, canonical model, mapping and sync rules."""
