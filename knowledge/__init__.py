"""The domain layer: settings, database, registry, content. Imports no chat framework."""
