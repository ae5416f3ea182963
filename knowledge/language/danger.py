"""Words of a person in danger, and pleas for help: the safety net behind the emergency answer.

A message that says someone is locked in, beaten, held in a shelter, had their phone or passport taken,
was arrested or has died abroad is an emergency whatever the classifier thinks (nlu/intent_nets.py uses
`in_danger` inside Rasa), and a plea ("tolong", "mau pulang", crying emoji) after an emergency gets
empathy and the hotline. Pure Python.
"""

from __future__ import annotations

import re

from knowledge.language.text import fold

# Relatives and others a family writes about, and the negations of "there is news".
_KIN = (
    r"(anak|anakku|suami|istri|isteri|kakak|kaka|adik|adek|ibu|bapak|ayah|mamak|emak|saudara|sodara|keponakan|"
    r"ponakan|sepupu|ipar|menantu|cucu|paman|bibi|tante|om|keluarga|teman|temen|tetangga|warga|pacar|tunangan)\w*"
)
# Close family only: "sponsor tetangga gak bisa dihubungi" is a recruiter who vanished, a fraud.
_CLOSE_KIN = (
    r"(anak|anakku|suami|istri|isteri|kakak|kaka|adik|adek|ibu|bapak|ayah|mamak|emak|saudara|sodara|keponakan|"
    r"ponakan|sepupu|ipar|menantu|cucu|keluarga)\w*"
)
_NO = r"(tidak|tdk|gak|ga|gk|nggak|ngga|enggak|belum|blm|tak|ora|teu)"
# Patterns over folded text (lower case, no punctuation). Each names a danger a trained officer would act on.
_DANGER = [
    r"\b(di ?sekap|di ?kurung|di ?kunci\w*|terkunci|dikurungin|disekep)\b",
    r"\b(tidak|gak|ga|gk|nggak|ndak|ora|teu|dilarang) (boleh|bisa|diizinkan|diijinkan) (keluar|pulang|kabur|pergi)\b",
    r"\b(di ?pukul\w*|di ?tampar|di ?tendang|di ?siksa|di ?aniaya|di ?gebuki?|di ?hajar|di ?cambuk|kekerasan)\b",
    r"\b(di ?perkosa|di ?lecehkan|pelecehan|di ?raba)\b",
    r"\b(hp|handphone|ponsel|telepon|hape)( \w+){0,2} (di ?ambil|di ?sita|di ?rampas|di ?tahan)\b",
    r"\b(di ?ambil|di ?sita|di ?rampas|di ?tahan)( \w+){0,2} (hp|handphone|ponsel|hape)\b",
    r"\bpaspor\w*( \w+){0,3} (di ?tahan|di ?sita|di ?ambil|di ?pegang)\b",
    r"\b(di ?tahan|di ?sita|di ?ambil)( \w+){0,2} paspor\w*\b",
    r"\bpenampungan\b.*\b(tidak|gak|ga|gk|nggak|dilarang|di ?kunci|terkunci|tertahan|ditahan|berbulan)\b",
    r"\b(tertahan|ditahan|terjebak|terlantar|telantar) (di|dalam) (penampungan|rumah|asrama|kamp|kapal|bandara)\b",
    r"\bgaji\w*( \w+){0,4} (tidak|gak|ga|gk|belum|blm|nggak) (di ?bayar|dikasih|keluar)\w*( \w+){0,3} "
    r"(bulan|bln|tahun|thn)\b",
    r"\bkabur (dari|dr) (majikan|agen|penampungan|rumah majikan|kapal)\b",
    r"\b(di ?jual|di ?perdagangkan|perdagangan orang|tppo|kerja paksa|dipaksa kerja|di ?paksa)\b",
    r"\b(tolong|tlg|help|selamatkan) (saya|sy|aku|kami|adik|kakak|istri|suami|anak|ibu|ayah)\b.*"
    r"\b(majikan|agen|penampungan|paspor|pukul|siksa|kurung|sekap|kunci|pulang)",
    r"\b(tidak|tdk|gak|ga|gk|nggak|ngga|belum|blm) (dikasih|dikasi|diberi|dapat|dapet) makan\b",
    # the passport taken, said with an active verb ("agennya ngambil paspor", "majikan nahan paspor")
    r"\b(ngambil|nahan|nyita|megang|menahan|mengambil|menyita|merampas)( \w+){0,2} paspor\w*\b",
    # a worker the family has lost touch with ("anak saya gak ada kabar sejak lebaran")
    rf"\b{_KIN}\b( \w+){{0,30}} ({_NO} (ada )?(kabar|kontak)|hilang kontak|putus kontak|kehilangan kontak|"
    r"(nomor|hp|no)\w*( \w+){0,2} (tidak|tdk|gak|ga|gk|nggak) aktif|lost contact|terakhir (ada )?(kontak|kabar))\b",
    rf"\b{_CLOSE_KIN}\b( \w+){{0,30}} {_NO} (bisa|dapat) (di ?hubungi|dihubungin|dikontak)\b",
    # kept in ("majikan gk bolehin sy keluar rumah"), threatened at home, smuggled by an irregular route
    rf"\b{_NO} (bolehin|ngebolehin|ngizinin|izinin|ijinin|ngijinin|membolehkan|mengizinkan)( \w+){{0,2}} "
    r"(keluar|pulang|pergi|kabur)\b",
    r"\b(ngancam|ngancem|mengancam|diancam)\w*\b( \w+){0,12} (rumah|bunuh|pukul|bacok|celaka|sakiti|culik|"
    r"dateng|datang|bawa \w+ (org|orang))\b",
    r"\b(dateng|datang|ke rumah)\b( \w+){0,8} (ngancam|ngancem|mengancam)\w*\b",
    r"\bjalur tikus\b",
    # a plea that names the emergency itself ("tlg min darurat")
    r"\b(tolong|tlg|help|bantu)\b( \w+){0,3} darurat\b",
    # detention (ARCHITECTURE.md names it an emergency) and a death abroad (repatriation goes through the hotline)
    r"(?<!pernah )\b(di ?tangkap|ketangkep|ketangkap|tertangkap|diciduk|di ?penjara\w*|masuk penjara|dirazia|"
    r"kena razia|di ?deportasi)\b",
    r"(?<!pernah )\bditahan (polisi|imigrasi|aparat|pihak berwajib)\b",
    r"\b(meninggal|wafat|tewas)( dunia)? (di|dalam|waktu|saat|ketika)\b",
    r"\b(jenazah|mayat)\w*\b",
    # English ("my employer took my passport", "I am locked in", "they beat me")
    r"\b(took|take|taken|takes|keep|keeps|kept|holding|holds|confiscated)\b( \w+){0,3} (passport|phone)\b",
    r"\b(locked|trapped|not allowed to (leave|go out|go home)|won t let me (leave|go)|can ?not leave|can t leave)\b",
    r"\b(beat|beats|beaten|hit me|hits me|abused|abuse me|raped|sold me|not paid for \w+ months)\b",
    r"\b(arrested|detained|in jail|in prison|deported|died|passed away)\b",
]
_PLEA = [
    r"\b(tolong|tlg|help|selamatkan|bantu)\b",
    r"\b(mau|ingin|pengen|pengin|minta|pingin|pgn) (pulang|balik|dipulangkan)\b",
    r"\b(takut|ketakutan|bahaya|darurat|sos)\b",
    # a threat ("agen ngancam", "saya diancam majikan"): the person is under pressure, not weighing an offer
    r"\b(di ?ancam|ngancam|ngancem|mengancam|ancaman)\b",
]
_DANGER_RE = re.compile("|".join(f"(?:{p})" for p in _DANGER))
_PLEA_RE = re.compile("|".join(f"(?:{p})" for p in _PLEA))
# Hypothetical questions about an offer ("nanti paspor ditahan, aman gak?", "is it normal that the agent keeps
# my passport before I fly") are offer checks, not emergencies.
_NOT = r"(gak|ga|gk|nggak|ngga|enggak|engga|tidak|tdk|ndak|kah)"
_HYPOTHETICAL = re.compile(
    r"\b(kalau nanti|kalo nanti|klo nanti|katanya nanti|apakah (wajar|aman|normal|boleh)|"
    rf"(wajar|boleh|normal|aman) {_NOT}|"
    # what an agent says will happen before departure ("paspor mau dipegang sponsor sblm berangkat")
    r"(paspor|passport|dokumen|hp|ktp|ijazah)\w*( \w+){0,3} (mau|akan|bakal|bakalan) di ?(tahan|sita|ambil|pegang)|"
    r"(sebelum|sblm|sebelom) (berangkat|terbang)|"
    r"is (it|this|that) (normal|safe|ok|okay|legal|allowed|common|usual)|"
    r"before (i|we) (fly|leave|go|depart)|should i (pay|give|send))\b"
)


# A worker badly hurt or ill ("tangan kena mesin", "sakit parah, agennya minta 25jt dulu"), said as what
# happened, not asked about ("kalau kecelakaan kerja ditanggung gak?").
_HURT = re.compile(
    r"\b(sakit( \w+){0,4} (gak|gk|tidak|tdk|ga|nggak) (bisa jalan|bisa bangun|dibawa|diobati|dirawat|diantar)|"
    r"(gak|gk|tidak|tdk|ga|nggak) (mau|boleh|dibolehin) (bawa|dibawa|antar|diantar|berobat)( \w+){0,3} "
    r"(klinik|rs|rumah sakit|dokter|puskesmas)|"
    r"sakit parah|sakit keras|sakit berat|kritis|koma|stroke|kecelakaan|luka parah|terluka|cedera|"
    r"kena mesin|(jari|tangan|kaki|lengan)\w*( \w+){0,2} (putus|patah|remuk|hancur|luka))\b"
)
_CONDITIONAL = re.compile(
    r"\b(kalau|kalo|klo|kl|jika|jikalau|apabila|bila|seandainya|misal|misalnya|andai|asuransi|bpjs|santunan)\b"
)


def in_danger(text: str) -> bool:
    """True when the message says someone is in danger now (locked in, beaten, held, phone/passport taken,
    badly hurt or ill, out of touch with the family...)."""
    folded = fold(text)
    if _DANGER_RE.search(folded) and not _HYPOTHETICAL.search(folded):
        return True
    # hurt or ill now, unless the words just before make it a question ("kalau kecelakaan kerja ...")
    return any(not _CONDITIONAL.search(folded[max(0, m.start() - 40) : m.start()]) for m in _HURT.finditer(folded))


# What an emergency story says about the situation, for the facts the answer adds (knowledge/escalations).
_HELD = re.compile(
    r"\b(di ?sekap|di ?kurung|di ?kunci\w*|terkunci|tertahan|ditahan|di ?tahan|penampungan|jalur tikus|"
    rf"{_NO} (boleh|bisa|diizinkan|diijinkan) (keluar|pulang|pergi)|dilarang (keluar|pulang)|"
    rf"{_NO} (bolehin|ngebolehin|ngizinin|izinin|ijinin|ngijinin)( \w+){{0,2}} (keluar|pulang|pergi))\b"
)
_THREAT = re.compile(r"\b(ngancam|ngancem|mengancam|diancam|ancaman|teror|neror|diteror)\w*\b")
_RANSOM = re.compile(
    r"\b(tebusan|nebus|menebus|ditebus|denda|ganti rugi|uang (pulang|kepulangan|pembebasan)|"
    r"(mau|kalau|kalo|kl|klo) (batal|pulang|keluar)( \w+){0,3} (harus|wajib|disuruh) (bayar|membayar|ganti)|"
    r"(bayar|membayar|minta|meminta|dimintai|disuruh bayar)\w*( \w+){0,6} (dulu )?(baru|biar|supaya|agar|untuk|buat) "
    r"(bisa |boleh )?(di ?pulang\w*|di ?lepas\w*|pulang|keluar|bebas|dibebaskan))\b"
)
_MISSING = re.compile(
    rf"\b({_NO} (ada )?(kabar|kontak)|hilang kontak|putus kontak|kehilangan kontak|lost contact|"
    r"terakhir (ada )?(kontak|kabar)|"
    r"(nomor|hp|no)\w*( \w+){0,2} (tidak|tdk|gak|ga|gk|nggak) aktif|tidak bisa dihubungi|gak bisa dihubungi)\b"
)

_SITUATIONS = {"held": _HELD, "threat": _THREAT, "ransom": _RANSOM, "missing": _MISSING}


def situations(text: str) -> set[str]:
    """What the story says besides the danger: "held" (confined or kept from leaving), "threat" (someone
    threatened), "ransom" (money demanded to be let go or sent home), "missing" (the family has lost touch)."""
    folded = fold(text)
    return {name for name, pattern in _SITUATIONS.items() if pattern.search(folded)}


def is_plea(text: str) -> bool:
    """True for a plea for help or to go home ("tolong", "mau pulang", "takut")."""
    return bool(_PLEA_RE.search(fold(text)))


def only_emoji(text: str) -> bool:
    """True when the message holds no letter or digit (emoji, symbols, punctuation only)."""
    return bool(text.strip()) and not any(ch.isalnum() for ch in text)
