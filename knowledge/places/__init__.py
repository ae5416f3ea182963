"""Places: the region gazetteer of Indonesia (provinces, kabupaten/kota, informal names) and search scopes."""
