"""What a story asks for when it is not a question: a complaint about an official office, a forwarded text
to judge, a jobseeker telling their situation. Real messages are mostly stories (issue 22); these read the
need out of them so the bot answers the need, not the words that happened to look like another intent.
Pure Python over folded text: the Rasa process uses them too (nlu/decisions.py)."""

from __future__ import annotations

import re

from knowledge.language.text import fold
from knowledge.language.vocab import find_country

# Offices people complain about, by the names they use (old names too).
_OFFICE = re.compile(
    r"\b(kbri|kjri|kedutaan|konsulat|bp3mi|bp2mi|kp2mi|bnp2tki|p4mi|uptp3mi|ltsa|disnaker|dinas tenaga kerja|"
    r"dinas naker|naker|kemnaker|kemenaker|imigrasi|kantor imigrasi|call ?center|cs prakerja|kantor desa|kades|"
    r"kelurahan|lurah|camat|kecamatan|dukcapil|disdukcapil|bpjs|petugas)\b"
)
_COMPLAINT = re.compile(
    r"\b(lambat|lama (banget|bgt|sekali)|lelet|(tidak|tdk|gak|ga|gk|nggak|blm|belum) (ada )?(respon|respons|"
    r"ditanggapi|dibalas|dibales|bales|balas|diangkat|dilayani|diproses|jelas|jadi)|"
    r"(tidak|tdk|gak|ga|gk|nggak|blm|belum) pernah (respon|bales|balas|dibalas|dibales|membalas|diangkat)|"
    r"dipingpong|ping ?pong|"
    r"dilempar|dioper|dipersulit|mempersulit|nolak|menolak|minta uang|minta duit|pungli|pungutan|"
    r"uang rokok|uang admin|biaya admin|komplain|complain|kecewa|mengecewakan|nyuruh \w+ (balik|datang) lagi|"
    r"disuruh (balik|datang|kembali) lagi|gak diangkat2|gk diangkat2)\b"
)
_IMPERSONATION = re.compile(r"\b(ngaku|mengaku|ngakunya|mengatasnamakan|kop|pake nama|pakai nama)\b")
# A text someone forwarded or pasted, and the kinds of scam such texts carry.
_FORWARDED = re.compile(
    r"\b(fwd|forward\w*|diteruskan|terusan|sebarkan|viralkan|pesan berantai|broadcast|dapet (sms|chat|pesan|wa)|"
    r"dapat (sms|chat|pesan|wa)|(sms|chat|pesan|wa) (ini|kayak gini|spt ini|seperti ini)|klik link|link ini|"
    r"dr grup|dari grup|di grup)\b"
)
_LINK = re.compile(r"(https?://|www\.|\b[\w-]+\.(xyz|top|site|online|club|info|icu|link|click)\b|bit\.ly|wa\.me)")
_GIFT = re.compile(
    r"\b(selamat\w*( \w+){0,4} terpilih|terpilih mendapat\w*|hadiah|undian|bantuan (tunai|dana|uang|sosial|langsung)|"
    r"dana bantuan|program apresiasi|pencairan|langsung cair|gratis tiket|menggratiskan|bansos)\b"
)
_TASK_JOB = re.compile(
    r"\b(like (dan|n|and)? ?subscribe|like subscribe|subscribe channel|tugas like|kerja like|like video|"
    r"follow akun|rating (hotel|produk)|misi (harian|tugas)|\w*misi\w* berbayar|paruh waktu online|"
    r"part ?time online|kerja online|top ?up (saldo|dulu)|tarik saldo|deposit)\b"
)
# A jobseeker telling their situation ("udah 4 bulan nganggur, lulusan smk, di cirebon").
_SEEKING = re.compile(
    r"\b(nganggur|menganggur|pengangguran|belum kerja|blm kerja|gak kerja|nyari kerja|cari kerja\w*|mencari kerja\w*|"
    r"cari kerjaan|nyari kerjaan|pengen kerja|pengin kerja|pingin kerja|ingin bekerja|ingin kerja|mau kerja|"
    r"butuh kerja\w*|perlu kerja\w*|kerja lagi|ngelamar|melamar|lamaran|kena phk|di ?phk|dirumahkan|"
    r"habis kontrak|kontrak habis|fresh ?grad|baru lulus|lulus (sma|smk|smp|s1|d3|kuliah)|lulusan)\b"
)
_ABROAD = re.compile(
    r"(?<!gak mau ke )(?<!gk mau ke )(?<!tidak mau ke )(?<!nggak mau ke )(?<!ga mau ke )"
    r"\b(luar negeri|ln|tki|tkw|pmi|cpmi|p3mi|pjtki|abroad|overseas|eps)\b"
)


def office_complaint(text: str) -> bool:
    """A complaint about an official office or officer ("KBRI lambat banget", "lapor BP3MI gak ada respon")."""
    folded = fold(text)
    if _IMPERSONATION.search(folded):
        return False  # "2 org ngaku dari BP2MI minta uang": a fraud in an office's name, not the office
    return bool(_OFFICE.search(folded) and _COMPLAINT.search(folded))


def forwarded_scam(text: str) -> str | None:
    """The kind of forwarded or pasted text to judge: "gift" (money or a prize promised, a link to click),
    "task_job" (paid likes, "missions", a deposit to withdraw), or None."""
    folded = fold(text)
    lowered = text.lower()
    if _TASK_JOB.search(folded):
        return "task_job"
    if _GIFT.search(folded) and (_FORWARDED.search(folded) or _LINK.search(lowered) or "hub" in folded.split()):
        return "gift"
    return None


_IN_INDONESIA = re.compile(r"\b(di indonesia|dalam negeri|di sini aja|di kampung)\b")
# Wanting a person: to be called, to talk directly, to consult in private.
_WANTS_PERSON = re.compile(
    r"\b(hubungi (saya|sy|aku)|telp (saya|sy)|telepon (saya|sy)|telpon (saya|sy)|ditelepon|ditelpon|ditelp|"
    r"konsultasi langsung|bicara langsung|ngobrol langsung|ketemu langsung|curhat|rahasia|"
    r"(bicara|ngomong|ngobrol|konsultasi) (dengan|dgn|sama|sm|ama) (orang|manusia|petugas|admin))\b"
)


def seeks_local_work(text: str) -> bool:
    """A jobseeker telling their situation, for work in Indonesia (no country abroad, no overseas words, or
    Indonesia said outright: "cari kerja di perusahaan korea di indonesia")."""
    folded = fold(text)
    if not _SEEKING.search(folded):
        return False
    return bool(_IN_INDONESIA.search(folded)) or (find_country(text) is None and not _ABROAD.search(folded))


def wants_a_person(text: str) -> bool:
    """The writer asks to be called back or to talk to a person ("tolong hubungi sy, masalahnya rahasia")."""
    return bool(_WANTS_PERSON.search(fold(text)))


# A problem with a training programme (Kartu Prakerja, a BLK certificate) rather than a search for one; the
# answer is knowledge/trainings/help.py.
_PRAKERJA = re.compile(r"\b(pra ?kerja|kartu pra ?kerja|kartu kerja)\b")
_TRAINING = re.compile(r"\b(blk|bpvp|balai latihan|balai pelatihan|pelatihan|kursus|diklat|sertifikat\w*)\b")
# (topic, pattern, facts): the first topic that matches names the problem.
_PROBLEMS = (
    (
        "account",
        re.compile(
            r"\b(akun\w*|blokir\w*|keblokir|terblokir|nik|verifikasi|otp|wajah|video\w*|diputar|login|kode|error)\b"
        ),
        ("prakerja_account", "prakerja_official"),
    ),
    (
        "incentive",
        re.compile(r"\b(insentif|cair|dana|saldo|belum masuk|blm masuk|gak masuk|tidak masuk)\b"),
        ("prakerja_incentive", "prakerja_official"),
    ),
    (
        "selection",
        re.compile(r"\b(gelombang|lolos\w*|seleksi|gagal|ditolak|lulus)\b"),
        ("prakerja_selection", "prakerja_official"),
    ),
)
_ACCOUNT = ("prakerja_account", "prakerja_official")
_LOST = re.compile(
    r"\bsertifikat\w*( \w+){0,8} (hilang|ilang|rusak|kebakar|terbakar|kebanjiran|basah|sobek)\b|"
    r"\b(hilang|ilang|rusak)( \w+){0,3} sertifikat\w*\b"
)
_COMPETENCY = re.compile(r"\b(bnsp|lsp|uji kompetensi|sertifikat kompetensi|sertifikasi|sertifikat profesi)\b")
# Money asked by the BLK itself ("pelatihan di BLK kok bayar 750rb?"), not a fee for skipping it abroad.
_FEE_AT_BLK = re.compile(
    r"\b(blk|bpvp)\b( \w+){0,4} (bayar|biaya|dipungut|pungutan|pungli)\b|"
    r"\b(bayar|biaya|dipungut|pungutan|pungli)\b( \w+){0,4} (blk|bpvp)\b"
)
# Someone who names what they want to learn is looking for a training ("mau belajar tata boga").
_FIELD_WANTED = re.compile(r"\b(mau|ingin|pengen|pingin|pengin|ikut|belajar)( \w+){0,3} (pelatihan|kursus|belajar) \w+")
_RULES = re.compile(r"\b(syarat\w*|domisili|asrama\w*|mess|umur|usia|ktp luar|luar kota|disabilitas|tuna \w+)\b")


def training_problem(text: str) -> tuple[str, ...]:
    """The facts that answer a problem with a training programme in this message, or () when it is none
    (a search for a training is not a problem: "pelatihan las gratis di semarang")."""
    folded = fold(text)
    if _PRAKERJA.search(folded):
        for _, pattern, facts in _PROBLEMS:
            if pattern.search(folded):
                return facts
        return _ACCOUNT
    if _LOST.search(folded):
        return ("blk_certificate_lost",)
    if _COMPETENCY.search(folded):
        return ("competency_certificate", "blk_training")
    at_blk = bool(re.search(r"\b(blk|bpvp|balai)\b", folded))
    if _FEE_AT_BLK.search(folded) and find_country(text) is None:
        return ("blk_training",)  # "pelatihan di BLK kok bayar 750rb?": generally free, check with the BLK
    if at_blk and _RULES.search(folded) and not _FIELD_WANTED.search(folded):
        return ("blk_training",)  # a question about the rules; one who names a field gets the search
    return ()
