"""Shared language layer: one `fold`, the informal-word lists, spelling, vocabularies and dates.

Kept free of heavy imports: `nlu/` components load `knowledge.language.spelling` inside the Rasa process.
"""
