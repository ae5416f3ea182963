"""The licensed-agency registry (P3MI): import, lookup by licence number or name, answers, the check use case."""
