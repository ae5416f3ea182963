"""Rasa SDK actions: thin adapters from slots to knowledge/ functions (one module per feature)."""
