"""Informal Indonesian spellings -> standard words (pure Python: the Rasa NLU component in nlu/ uses it too).

Informal short forms, Javanese and Sundanese words and English words map to the Indonesian word the
classifier knows (token lemmas only: the text and the entities stay as typed). Only unambiguous forms are
listed; a word people use in two meanings (e.g. "ga" is also Javanese for
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


def _pairs(text: str) -> dict[str, str]:
    """'a=b c=d' -> {'a': 'b', 'c': 'd'} (word lists are easier to read and extend this way)."""
    return dict(pair.split("=", 1) for pair in text.split())


# Javanese and Sundanese words people mix into job questions -> the Indonesian word the classifier knows.
REGIONAL_WORDS = _pairs("""
    kulo=saya kula=saya dalem=saya badhe=mau arep=mau ape=mau pengin=ingin kepengin=ingin golek=cari
    goleki=cari nggoleki=mencari pados=cari madosi=mencari kerjo=kerja nyambut=kerja wonten=ada onten=ada
    enten=ada ono=ada mboten=tidak mboten=tidak ora=tidak ra=tidak nopo=apa opo=apa piye=bagaimana
    pripun=bagaimana kepriye=bagaimana niki=ini iki=ini niku=itu iku=itu sampun=sudah uwis=sudah wis=sudah
    dereng=belum durung=belum nggih=ya inggih=ya sinten=siapa sopo=siapa pinten=berapa piro=berapa
    teng=di ning=di neng=di saking=dari soko=dari kangge=untuk kanggo=untuk arto=uang sing=yang karo=sama
    mulih=pulang wangsul=pulang ngendi=mana endi=mana pundi=mana saiki=sekarang sakniki=sekarang
    tulung=tolong tulungi=tolong digebuki=dipukul dikunci=dikunci majikanku=majikan
    abdi=saya hoyong=ingin hayang=ingin damel=kerja digawe=kerja milarian=mencari neangan=mencari
    nyiar=cari aya=ada teu=tidak henteu=tidak naon=apa kumaha=bagaimana ieu=ini eta=itu tos=sudah
    atos=sudah acan=belum muhun=ya saha=siapa sabaraha=berapa ti=dari artos=uang mulang=pulang
    punten=maaf ayeuna=sekarang kedah=harus tiasa=bisa bade=mau sareng=dengan nu=yang hatur=terima
    nuhun=kasih leres=benar sios=jadi lepat=salah mangga=silakan sanes=bukan
""")
# English words -> the Indonesian word the classifier knows (English messages are rare but real).
ENGLISH_WORDS = _pairs("""
    job=kerja jobs=kerja work=kerja working=kerja vacancy=lowongan vacancies=lowongan opening=lowongan
    hiring=lowongan looking=cari find=cari search=cari agency=agen agent=agen recruiter=agen
    company=perusahaan licensed=resmi legal=resmi registered=resmi legit=resmi official=resmi
    training=pelatihan course=pelatihan courses=pelatihan free=gratis cost=biaya costs=biaya fee=biaya
    fees=biaya price=biaya how=bagaimana much=berapa requirements=syarat requirement=syarat
    documents=dokumen document=dokumen passport=paspor help=bantu please=tolong abroad=luar
    overseas=luar salary=gaji wage=gaji wages=gaji employer=majikan beaten=dipukul hit=dipukul
    abused=disiksa locked=dikunci scam=penipuan scammed=ditipu fraud=penipuan cheated=ditipu
    report=lapor officer=petugas human=petugas hello=halo hi=halo thanks=terima thank=terima
    what=apa where=dimana when=kapan who=siapa can=bisa want=mau need=butuh safe=aman fake=palsu
    card=kartu yellow=kuning home=pulang bot=bot robot=robot
""")
_REPEATS = re.compile(r"([a-z])\1{2,}")  # "halooo" -> "halo", "gaaak" -> "gak" (letters only: 2000 stays)
_EDGE_PUNCT = re.compile(r"^[^\w]+|[^\w]+$")


def normalize_word(word: str) -> str:
    """The standard form of one word as typed."""
    w = _EDGE_PUNCT.sub("", word.lower())
    if not w:
        return word.lower()
    w = _REPEATS.sub(r"\1", w)
    return SHORT_FORMS.get(w) or REGIONAL_WORDS.get(w) or ENGLISH_WORDS.get(w, w)
