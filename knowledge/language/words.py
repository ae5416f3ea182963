"""The informal words people type around what they mean, in one place for every matcher.

Each list is a set of folded words (see `knowledge.language.text.fold`); the lists that matchers use are
built from the small groups below, so a new particle or pronoun is added once and counts everywhere.
"""

from __future__ import annotations


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _phrases(text: str) -> frozenset[str]:
    return frozenset(p.strip() for p in text.split("|"))


# --- small groups --------------------------------------------------------------------------------
# Particles and forms of address at the end of a question ("resmi gk ya kak", Javanese "niku", Sundanese "teh").
PARTICLES = _set("""
    dong donk deh sih si ya yah yaa yaaa kah nya nih tuh toh kan lho loh lah kok
    kak ka kakak min mimin admin gan sis mba mbak bro bang pak bu om bos
    niku nggih iku iki kuwi to ta teh mah atuh euy wae ki nu
""")
# Words that carry no meaning of their own in a question ("katanya", "gimana").
HEDGES = _set("""
    katanya ktnya denger dengar kabarnya info infonya gitu gmn gimana bagaimana piye kumaha
    apa apakah apa2 ato atau sebenarnya sebenernya emang memang beneran bener benar betul kira2 kira
""")
NEGATIONS = _set("gak ga gk g nggak ngga enggak engga tidak tdk tak ora ndak kagak teu henteu moal no not")
PRONOUNS = _set("saya sy aku aq gue gw ane kami kita abdi kulo kula dalem")
YES_NO_WORDS = _set("ya iya iyaa yes yup ok oke okay sip betul bukan bkn belum blm udah udh sudah")
PREPOSITIONS = _set("di ke dari dr sama sm oleh untuk utk buat bwt dengan dgn ama neng ning teng saking ing")
# Words that ask for a check or help ("tolong cek").
REQUEST_WORDS = _set("""
    cek cekin ngecek mengecek periksa periksain tolong tlg bantu mohon minta mau ingin pengen pingin
    tanya nanya tanyakan nanyain info tentang soal mengenai check please pls
""")
# Words about legality and status ("resmi", "legit", "dicabut").
LEGALITY_WORDS = _set("""
    resmi resmikah legal ilegal legit terdaftar daftar terdaftarkah berizin izin ijin izinnya ijinnya
    status statusnya aman amankah penipu penipuan calo asli palsu terpercaya dipercaya percaya
    masih berlaku aktif dicabut dibekukan kedaluwarsa kadaluarsa kadaluwarsa licensed registered
    legalitas legalitasnya keabsahan keabsahannya sah absah perizinan perizinannya
""")
# Words for the kind of company ("agen", "sponsor", "pjtki") -- a name often follows them.
COMPANY_WORDS = _set("agen agensi agency perusahaan penyalur sponsor pjtki pptkis p3mi pjtkis lpk yayasan")
LEGAL_FORMS = _set("pt cv tbk persero perseroan terbatas ud fa firma")
WORKER_WORDS = _set("tki tkw pmi cpmi")
NAME_WORDS = _set("nama namanya nomor no nomer nmr")

# --- lists the matchers use ---------------------------------------------------------------------
# Never part of a company name: cut from both ends of a name in a question.
NAME_FILLERS = (
    PARTICLES
    | HEDGES
    | NEGATIONS
    | PRONOUNS
    | YES_NO_WORDS
    | PREPOSITIONS
    | REQUEST_WORDS
    | LEGALITY_WORDS
    | COMPANY_WORDS
    | WORKER_WORDS
    | NAME_WORDS
    | _set("itu ini yang yg")
    # English function words ("is PT X a licensed agency?")
    | _set("a an the is are was of for to in on at with and or")
    # "mau cek bbrp PT buat warga sy": who the check is for, never a name
    | _set("beberapa bbrp brp banyak warga teman temen tetangga saudara sodara keluarga")
)
# Words that end a company name inside a longer story ("PT X minta uang", "PT X gajinya besar").
NAME_STOPS = NAME_FILLERS | _set("""
    ada aya pernah termasuk butuh membutuhkan nawarin nawari menawarkan cari mencari nyari buka membuka rekrut
    merekrut kena sanksi cabang tahun bulan minggu hari tp lain tersebut abal bodong izinna izine izinnya masih
    gaji gajinya minta meminta mintain uang bayar dibayar membayar transfer tf katanya bilang janji menjanjikan
    dijanjikan berangkat berangkatnya kerja bekerja jadi sebagai visa biaya rp juta ribu tapi tetapi terus lalu
    kemudian karena soalnya trus dan juga akan bisa punya lewat melalui via kok kenapa knp mana
    dimana dmn kantornya alamatnya orangnya pelakunya mirip beda bedanya
""")
# Markers after which a company name usually follows ("... sama PT Sinar Jaya itu resmi?").
NAME_MARKERS = _set("pt cv") | COMPANY_WORDS

# "anywhere" and "any job" answers, matched on the whole (folded) answer.
ANYWHERE_PHRASES = _phrases(
    "di mana saja|dimana saja|mana saja|mana aja|dimana aja|di mana aja|bebas|semua|semuanya|"
    "seluruh indonesia|se indonesia|indonesia|dimana mana|di mana mana|terserah|mana mana|mn aja|dmn aja|"
    "bebas dimana aja|di mana pun|dimanapun|di seluruh indonesia|cari di seluruh indonesia|semua daerah|"
    "semua tempat|mana pun|manapun"
)
ANY_JOB_PHRASES = _phrases(
    "apa saja|apa aja|semua|bebas|apapun|apa pun|terserah|semua pekerjaan|kerja apa aja|kerja apa saja|"
    "pekerjaan apa saja|apa aja boleh|apa saja boleh|yang penting kerja"
)
# Words around a job in a search ("cari loker las dong") that are not the job itself.
SEARCH_WORDS = _set("""
    cari carikan mencari nyari nyariin loker lowongan lowker lokr kerja kerjaan pekerjaan gawe ada info
    bagian posisi lulusan sebagai jadi yang yg butuh dibutuhkan lagi
""")
JOB_FILLERS = SEARCH_WORDS | PARTICLES | NEGATIONS | PRONOUNS | PREPOSITIONS | REQUEST_WORDS
# A word right before a value that takes it back: "eh bukan [batam], maksudnya [bintan]".
TAKE_BACK_WORDS = _set("bukan bkn bukannya not ganti salah")
# Answers that mean "I don't know" to a question.
UNKNOWN_ANSWERS = _phrases(
    "tidak tahu|gak tau|ga tau|gk tau|nggak tau|tdk tahu|lupa|tidak ingat|gatau|ndak tau|entah|gak tahu|"
    "ga tahu|nggak tahu|ora ngerti|teu terang|tidak tau"
)
# Words that announce a place ("di bekasi", "daerah batu").
LOCATION_MARKERS = _set(
    "di ke dari daerah wilayah kawasan area sekitar sekitaran seputar lokasi penempatan domisili dekat"
)
# Trailing words after a place or a job answer ("bekasi aja ya").
TRAILING_FILLERS = _set("aja saja ya sih dong deh kak min gan nih")
