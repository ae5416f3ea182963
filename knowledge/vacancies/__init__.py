"""The integrated vacancy database: feeds and mappings, import, the term index, search, answers, the use case."""
