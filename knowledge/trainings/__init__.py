"""Training programmes (BLK/BPVP and others): import, search, answers, the use case."""
