"""ASC X12: reader, envelope checks and writer."""
