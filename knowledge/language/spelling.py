"""Informal Indonesian spellings -> standard words (pure Python: the Rasa NLU component in nlu/ uses it too).

Only unambiguous short forms are listed; a word people use in two meanings (e.g. "ga" is also Javanese for
"not") maps to the meaning that matters here.
"""

from __future__ import annotations

import re

SHORT_FORMS: dict[str, str] = {
    # negation
    "gk": "tidak",
    "ga": "tidak",
    "gak": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "engga": "tidak",
    "ndak": "tidak",
    "tdk": "tidak",
    "tak": "tidak",
    "g": "tidak",
    "kagak": "tidak",
    "gaada": "tidak ada",
    "gada": "tidak ada",
    # pronouns and particles
    "sy": "saya",
    "aq": "saya",
    "aku": "saya",
    "gw": "saya",
    "gue": "saya",
    "ane": "saya",
    "sya": "saya",
    "yg": "yang",
    "dgn": "dengan",
    "dg": "dengan",
    "utk": "untuk",
    "untk": "untuk",
    "krn": "karena",
    "karna": "karena",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "jg": "juga",
    "aja": "saja",
    "aj": "saja",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "dah": "sudah",
    "blm": "belum",
    "blum": "belum",
    "bs": "bisa",
    "bsa": "bisa",
    "tp": "tapi",
    "trs": "terus",
    "jd": "jadi",
    "jdi": "jadi",
    "sm": "sama",
    "dr": "dari",
    "pd": "pada",
    "dlm": "dalam",
    "org": "orang",
    "bgt": "banget",
    "bngt": "banget",
    "skrg": "sekarang",
    "gmn": "bagaimana",
    "gimana": "bagaimana",
    "bgmn": "bagaimana",
    "gmna": "bagaimana",
    "brp": "berapa",
    "brapa": "berapa",
    "dmn": "dimana",
    "dimn": "dimana",
    "knp": "kenapa",
    "apa2": "apa",
    "tau": "tahu",
    "tw": "tahu",
    "emg": "memang",
    "emang": "memang",
    "min": "admin",
    "mksh": "makasih",
    "makasi": "makasih",
    "trims": "terima kasih",
    "thx": "terima kasih",
    "tq": "terima kasih",
    # work and migration words
    "krj": "kerja",
    "kerjaan": "kerja",
    "gawe": "kerja",
    "lwt": "lewat",
    "lowker": "lowongan",
    "loker": "lowongan",
    "lokr": "lowongan",
    "lowngan": "lowongan",
    "lwgn": "lowongan",
    "info2": "info",
    "pt2": "pt",
    "tki": "pmi",
    "tkw": "pmi",
    "ln": "luar negeri",
    "gaji2": "gaji",
    "dokumen2": "dokumen",
    "syarat2": "syarat",
    "pelatihan2": "pelatihan",
    "byr": "bayar",
    "tf": "transfer",
    "trf": "transfer",
    "rek": "rekening",
}
_REPEATS = re.compile(r"([a-z])\1{2,}")  # "halooo" -> "halo", "gaaak" -> "gak" (letters only: 2000 stays)
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def normalize_word(word: str) -> str:
    """The standard form of one word as typed."""
    w = _EDGE_PUNCT.sub("", word.lower())
    if not w:
        return word.lower()
    w = _REPEATS.sub(r"\1", w)
    return SHORT_FORMS.get(w, w)
