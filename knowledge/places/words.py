"""Place words for matching Indonesian places in text: kind prefixes, words that announce a place, and
place names that are also everyday words. Pure Python: the NLU lexicon extractor (nlu/, inside the Rasa
process) uses it too."""

from __future__ import annotations

from knowledge.language import words as informal

# Kind prefixes, longest first ("kota administrasi x" before "kota x"); punctuation is already gone.
KIND_PREFIXES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(prefix.split()), kind)
    for kind, prefixes in (
        ("kabupaten", "kabupaten administrasi|kab administrasi|kabupaten adm|kab adm"),
        ("kota", "kota administrasi|kota adm"),
        ("kabupaten", "kabupaten|kab|kabupatan"),
        ("kota", "kota|kodya|kotamadya|kotamadia|kot"),
        ("provinsi", "provinsi|propinsi|prov|prop"),
    )
    for prefix in prefixes.split("|")
)
# Words that announce a place ("di bekasi", "daerah batu"); dropped around a resolved query.
LOCATION_MARKERS = informal.LOCATION_MARKERS
# A window of a message starting with one of these is never a place ("di yogyakarta" -> "yogyakarta").
WINDOW_SKIP_START = frozenset({"di", "ke", "dari"})
TRAILING_FILLERS = informal.TRAILING_FILLERS
# Place names that are also everyday words ("batu bara" = coal, "kisaran gaji" = salary range): inside a
# message they count only right after a location marker ("di padang") or with a kind prefix ("kota batu").
AMBIGUOUS_KEYS = frozenset(
    (
        "batang, batu, batu bara, bima, bone, buru, gunung mas, jawa, ketapang, kisaran, kobar, kuningan, "
        "landak, lebak, loteng, merak, metro, padang, padang panjang, palu, puncak, serang, sungai penuh, "
        "tanah datar, tanah laut, tebing tinggi, timor, tts"
    ).split(", ")
)
CONTEXT_MARKERS = LOCATION_MARKERS | {"kota", "kab", "kabupaten", "loker", "lowongan", "lowker", "pulau"}
# Everyday words one letter away from a place name (checked against a dictionary): never fuzzy-matched.
FUZZY_STOPWORDS = frozenset(
    (
        "bangga bangkai banteng bekas bintang bolong kaleng kenari kendala kendali langka pandan pinang "
        "pirang remang sampan sembarang sumbang "
    ).split()
)
