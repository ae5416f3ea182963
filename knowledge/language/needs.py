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
    r"dilempar|dioper|dipersulit|mempersulit|nolak|menolak|ditolak|minta uang|minta duit|pungli|pungutan|"
    r"uang rokok|uang admin|biaya admin|komplain|complain|kecewa|mengecewakan|nyuruh \w+ (balik|datang) lagi|"
    r"disuruh (balik|datang|kembali) lagi|gak diangkat2|gk diangkat2)\b"
)
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
