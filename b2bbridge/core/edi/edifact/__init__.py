"""UN/EDIFACT: reader, envelope checks, character sets and writer."""
