"""Escalations to the help desk: the store and the use cases that create them (emergency, fraud, petugas)."""
