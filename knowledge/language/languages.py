"""Is a message written in English? (The service answers in Indonesian; an English writer gets a short
English note after the answer, and the message is still handled.) Pure Python, a word count, no model."""

from __future__ import annotations

from knowledge.language.text import fold

ENGLISH = frozenset(
    """
    the is are am was were be been i my me mine you your he she it its we our they their this that these those
    a an of in on at to for from with about into how what where when who why which can could would should will
    do does did have has had not no yes please help hello hi thanks thank want need looking find get work
    working job jobs agency agent company licensed legal registered salary cost costs much many abroad overseas
    passport visa training course free any there here some just only also very really if so but or and
    check licence license number phone call contact report scam fake real safe employer house leave took let
    send sends country countries which
""".split()
)
INDONESIAN = frozenset(
    """
    saya aku sy gue kamu anda dia kami kita mau ingin pengen kerja kerjaan loker lowongan di ke dari yang dan
    atau ada gak ga tidak tdk apa apakah bagaimana gimana gmn berapa brp kapan dimana siapa kenapa ini itu
    dengan untuk sudah udah belum bisa tolong min kak mas mbak pak bu resmi biaya gaji pelatihan
    cari nya juga saja aja dong ya sih kok lagi mohon terima kasih makasih halo selamat pagi siang sore malam
""".split()
)
MIN_ENGLISH_WORDS = 2


def is_english(text: str) -> bool:
    """True when the message is mostly English words (and not an Indonesian message with one English word)."""
    words = [w for w in fold(text).split() if len(w) > 1 and w.isalpha()]  # not "B.149/KA/XII/2022"
    english = sum(1 for w in words if w in ENGLISH)
    indonesian = sum(1 for w in words if w in INDONESIAN)
    return english >= MIN_ENGLISH_WORDS and english > 2 * indonesian and english * 2 >= len(words) * 0.6
