"""Writes the fictional demo vacancy feeds in knowledge/demo/ (run once; the output is committed).

Every employer name contains "Contoh"; dates are relative to DEMO_REFERENCE_DATE and shifted to the
loading day by tanyakerja.demo, so the demo never goes stale.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "knowledge" / "demo"
REF = date(2026, 11, 24)
rng = random.Random(2026)

DOMESTIC = [
    # (title, company, city, province, sector, education, salary range (juta), headcount)
    (
        "Welder (Juru Las) FCAW",
        "PT. Contoh Galangan Samudra",
        "Kota Batam",
        "Kepulauan Riau",
        "Perkapalan",
        "SMK",
        (5.5, 7.0),
        12,
    ),
    ("Fitter Kapal", "PT Contoh Galangan Samudra", "Kota Batam", "Kepulauan Riau", "Perkapalan", "SMK", (5.0, 6.5), 6),
    (
        "Operator Produksi",
        "PT Contoh Elektronika Batam",
        "Kota Batam",
        "Kepulauan Riau",
        "Manufaktur",
        "SMA/SMK",
        (4.7, 5.2),
        40,
    ),
    (
        "Operator Produksi",
        "PT Contoh Otomotif Cikarang",
        "Kabupaten Bekasi",
        "Jawa Barat",
        "Otomotif",
        "SMA/SMK",
        (5.2, 5.6),
        30,
    ),
    (
        "Operator Mesin CNC",
        "PT Contoh Presisi Metal",
        "Kabupaten Bekasi",
        "Jawa Barat",
        "Manufaktur",
        "SMK",
        (5.3, 6.0),
        5,
    ),
    ("Admin Gudang", "PT Contoh Logistik Nusantara", "Kota Bekasi", "Jawa Barat", "Logistik", "SMA/SMK", (4.8, 5.3), 2),
    (
        "Staf Administrasi",
        "PT Contoh Sentosa Abadi",
        "Kota Jakarta Selatan",
        "DKI Jakarta",
        "Perdagangan",
        "D3",
        (5.0, 6.0),
        1,
    ),
    (
        "Sales Marketing",
        "PT Contoh Properti Jaya",
        "Kota Jakarta Barat",
        "DKI Jakarta",
        "Properti",
        "SMA/SMK",
        (4.9, 8.0),
        5,
    ),
    (
        "Satpam / Security",
        "PT Contoh Jasa Pengamanan",
        "Kota Jakarta Timur",
        "DKI Jakarta",
        "Jasa",
        "SMA",
        (5.0, 5.4),
        8,
    ),
    ("Kasir Minimarket", "PT Contoh Ritel Sejahtera", "Kota Tangerang", "Banten", "Ritel", "SMA/SMK", (4.6, 4.9), 4),
    ("Kurir Ekspedisi", "PT Contoh Kirim Cepat", "Kota Tangerang Selatan", "Banten", "Logistik", "SMA", (4.5, 5.5), 10),
    (
        "Operator Produksi Garmen",
        "PT Contoh Tekstil Semarang",
        "Kota Semarang",
        "Jawa Tengah",
        "Tekstil",
        "SMP",
        (2.9, 3.2),
        25,
    ),
    ("Penjahit", "CV Contoh Busana Muslim", "Kota Surakarta", "Jawa Tengah", "Tekstil", "SMP", (2.3, 2.8), 6),
    ("Barista", "CV Contoh Kopi Kenangan Lama", "Kota Yogyakarta", "DI Yogyakarta", "F&B", "SMA/SMK", (2.3, 2.7), 3),
    ("Pramusaji", "PT Contoh Resto Nusantara", "Kabupaten Sleman", "DI Yogyakarta", "F&B", "SMA/SMK", (2.2, 2.6), 4),
    ("Teknisi Listrik", "PT Contoh Energi Mandiri", "Kota Surabaya", "Jawa Timur", "Energi", "SMK", (4.8, 5.5), 3),
    ("Sopir Truk", "PT Contoh Angkutan Jatim", "Kabupaten Sidoarjo", "Jawa Timur", "Logistik", "SMP", (4.5, 5.0), 7),
    ("Admin Keuangan", "PT Contoh Agro Makmur", "Kota Malang", "Jawa Timur", "Agribisnis", "D3", (3.2, 3.8), 1),
    ("Perawat", "RS Contoh Sehat Sentosa", "Kota Bandung", "Jawa Barat", "Kesehatan", "D3 Keperawatan", (4.0, 5.0), 6),
    (
        "Customer Service",
        "PT Contoh Telekomunikasi",
        "Kota Bandung",
        "Jawa Barat",
        "Telekomunikasi",
        "SMA/SMK",
        (3.8, 4.2),
        10,
    ),
    ("Programmer Web", "PT Contoh Digital Kreatif", "Kota Bandung", "Jawa Barat", "Teknologi", "S1", (6.0, 9.0), 2),
    (
        "Mekanik Alat Berat",
        "PT Contoh Tambang Borneo",
        "Kota Samarinda",
        "Kalimantan Timur",
        "Pertambangan",
        "SMK",
        (6.5, 8.0),
        4,
    ),
    ("Pekerja Kebun Sawit", "PT Contoh Sawit Lestari", "Kabupaten Kampar", "Riau", "Perkebunan", "SD", (3.2, 3.6), 50),
    (
        "Staf Gudang",
        "PT Contoh Distribusi Sulawesi",
        "Kota Makassar",
        "Sulawesi Selatan",
        "Logistik",
        "SMA",
        (3.6, 4.0),
        3,
    ),
    ("Juru Masak", "PT Contoh Hotel Pantai", "Kabupaten Badung", "Bali", "Perhotelan", "SMK Tata Boga", (3.5, 4.5), 2),
    ("Room Attendant", "PT Contoh Hotel Pantai", "Kabupaten Badung", "Bali", "Perhotelan", "SMA/SMK", (3.2, 3.6), 5),
    ("Operator Produksi", "PT Contoh Makanan Medan", "Kota Medan", "Sumatera Utara", "Makanan", "SMA", (3.4, 3.8), 15),
    (
        "Cleaning Service",
        "PT Contoh Jasa Kebersihan",
        "Kota Palembang",
        "Sumatera Selatan",
        "Jasa",
        "SD",
        (3.4, 3.6),
        8,
    ),
    ("Guru Bahasa Inggris", "Yayasan Contoh Cerdas", "Kota Depok", "Jawa Barat", "Pendidikan", "S1", (3.0, 4.0), 2),
    (
        "Tukang Bangunan",
        "CV Contoh Konstruksi Mataram",
        "Kota Mataram",
        "Nusa Tenggara Barat",
        "Konstruksi",
        "",
        (2.5, 3.0),
        10,
    ),
    (
        "Operator Forklift",
        "PT Contoh Pelabuhan Tanjung",
        "Kota Bitung",
        "Sulawesi Utara",
        "Logistik",
        "SMA",
        (3.6, 4.2),
        2,
    ),
    ("Welder", "PT Contoh Baja Cilegon", "Kota Cilegon", "Banten", "Baja", "SMK", (5.0, 6.0), 8),
    (
        "Operator Produksi",
        "PT Contoh Plastik Karawang",
        "Kabupaten Karawang",
        "Jawa Barat",
        "Manufaktur",
        "SMA/SMK",
        (5.1, 5.4),
        20,
    ),
    ("Admin Online Shop", "CV Contoh Toko Daring", "Kota Semarang", "Jawa Tengah", "Perdagangan", "SMA", (2.7, 3.0), 2),
    ("Staf IT Support", "PT Contoh Solusi Data", "Kota Jakarta Pusat", "DKI Jakarta", "Teknologi", "D3", (5.5, 7.0), 2),
]
OVERSEAS = [
    # (title, employer, country, agency licence from the demo registry, education, salary, note)
    ("Caregiver Panti Jompo", "Contoh Elderly Care Home Taichung", "Taiwan", "KEP.100/PPTKIS/I/2020", "SMP", (11, 13)),
    (
        "Operator Pabrik Elektronik",
        "Contoh Electronics Co. Taoyuan",
        "Taiwan",
        "KEP.205/PPTKIS/IV/2018",
        "SMA",
        (12, 14),
    ),
    ("Pengurus Rumah Tangga", "Keluarga Contoh (majikan perorangan)", "Hong Kong", "SIP3MI-2023-0303", "SMP", (9, 10)),
    ("Pekerja Perkebunan Sawit", "Contoh Plantation Sdn Bhd", "Malaysia", "KEP.121/PPTKIS/IV/2023", "SD", (5, 6)),
    ("Caregiver (Kaigo)", "Contoh Kaigo Center Osaka", "Jepang", "B.191/KA/VI/2019", "SMA", (18, 22)),
    ("Pengasuh Lansia", "Contoh Nursing Home Singapore", "Singapura", "KEP.289/PPTKIS/IV/2019", "SMP", (9, 11)),
    # not offered: agency revoked / suspended / expired / unknown
    ("Pengurus Rumah Tangga", "Majikan Contoh Riyadh", "Arab Saudi", "B.275/KA/VI/2022", "SD", (6, 7)),
    ("Operator Pabrik", "Contoh Factory Kaohsiung", "Taiwan", "SIP3MI-2021-0114", "SMA", (12, 13)),
    ("Pekerja Konstruksi", "Contoh Construction Kuala Lumpur", "Malaysia", "SIP3MI-2018-0177", "SD", (5, 6)),
    ("Perawat Lansia", "Contoh Care Hong Kong", "Hong Kong", "KEP.999/PPTKIS/X/2020", "SMP", (9, 10)),
]


def d(days: int) -> date:
    return REF + timedelta(days=days)


def main() -> None:
    canonical, kepri, jatim = [], [], []
    for n, (title, company, city, province, sector, edu, (lo, hi), heads) in enumerate(DOMESTIC):
        posted = d(-rng.randint(1, 40))
        expires = d(rng.randint(10, 75)) if n % 11 != 4 else d(-3)  # a few already closed: never offered
        row = {
            "source": "demo-karirhub",
            "source_id": f"KH-{1000 + n}",
            "title": title,
            "company": company,
            "city": city,
            "province": province,
            "sector": sector,
            "education": edu,
            "salary_min": int(lo * 1e6),
            "salary_max": int(hi * 1e6),
            "posted_at": posted.isoformat(),
            "expires_at": expires.isoformat(),
            "country": "",
            "agency_license": "",
            "url": f"https://contoh.invalid/lowongan/KH-{1000 + n}",
            "headcount": heads,
            "description": "DATA FIKTIF untuk demo TanyaKerja.",
        }
        canonical.append(row)
        if province in ("Kepulauan Riau",):  # the same vacancies, spelled differently, in the Kepri feed
            kepri.append(
                {
                    "no_lowongan": f"KR/{2026}/{n:03d}",
                    "jabatan": title.upper().replace("(JURU LAS) ", ""),
                    "nama_perusahaan": company.replace("PT. ", "PT ").upper(),
                    "kab_kota": city.replace("Kota ", ""),
                    "pendidikan_min": edu,
                    "gaji": f"{int(lo * 1e6):,}".replace(",", "."),
                    "tgl_tayang": posted.strftime("%d/%m/%Y"),
                    "batas_lamaran": expires.strftime("%d/%m/%Y"),
                    "keterangan": "DATA FIKTIF",
                }
            )
        if province == "Jawa Timur":  # and the East Java ones in the Jatim feed (nested JSON)
            jatim.append(
                {
                    "id": f"JTM-{500 + n}",
                    "lowongan": {"jabatan": title, "jumlah": heads},
                    "perusahaan": {"nama": company.replace("PT ", "PT. ")},
                    "lokasi": {"kabupaten_kota": city.replace("Kabupaten ", "Kab. "), "provinsi": "Jawa Timur"},
                    "syarat": {"pendidikan": edu},
                    "upah": {"min": int(lo * 1e6), "max": int(hi * 1e6)},
                    "tanggal": {"buka": posted.strftime("%d-%m-%Y"), "tutup": expires.strftime("%d-%m-%Y")},
                    "catatan": "DATA FIKTIF",
                }
            )
    kepri += [
        {
            "no_lowongan": "KR/2026/101",
            "jabatan": "OPERATOR PRODUKSI",
            "nama_perusahaan": "PT CONTOH SOLAR PANEL BINTAN",
            "kab_kota": "Bintan",
            "pendidikan_min": "SMA",
            "gaji": "4.600.000",
            "tgl_tayang": d(-5).strftime("%d/%m/%Y"),
            "batas_lamaran": d(30).strftime("%d/%m/%Y"),
            "keterangan": "DATA FIKTIF",
        },
        {
            "no_lowongan": "KR/2026/102",
            "jabatan": "HELPER WELDER",
            "nama_perusahaan": "PT CONTOH OFFSHORE KARIMUN",
            "kab_kota": "Tanjung Balai Karimun",
            "pendidikan_min": "SMP",
            "gaji": "4.100.000",
            "tgl_tayang": d(-2).strftime("%d/%m/%Y"),
            "batas_lamaran": d(20).strftime("%d/%m/%Y"),
            "keterangan": "DATA FIKTIF",
        },
    ]
    jatim.append(
        {
            "id": "JTM-900",
            "lowongan": {"jabatan": "Operator Produksi Rokok", "jumlah": 60},
            "perusahaan": {"nama": "PT. Contoh Tembakau Kediri"},
            "lokasi": {"kabupaten_kota": "Kediri", "provinsi": "Jawa Timur"},
            "syarat": {"pendidikan": "SD"},
            "upah": {"min": 2400000, "max": 2600000},
            "tanggal": {"buka": d(-3).strftime("%d-%m-%Y"), "tutup": d(40).strftime("%d-%m-%Y")},
            "catatan": "DATA FIKTIF",
        }
    )
    for n, (title, employer, country, licence, edu, (lo, hi)) in enumerate(OVERSEAS):
        canonical.append(
            {
                "source": "demo-siskop2mi",
                "source_id": f"JO-{2000 + n}",
                "title": title,
                "company": employer,
                "city": "",
                "province": "",
                "sector": "Penempatan PMI",
                "education": edu,
                "salary_min": int(lo * 1e6),
                "salary_max": int(hi * 1e6),
                "posted_at": d(-rng.randint(1, 30)).isoformat(),
                "expires_at": d(rng.randint(20, 90)).isoformat(),
                "country": country,
                "agency_license": licence,
                "url": "",
                "headcount": rng.randint(5, 40),
                "description": "DATA FIKTIF untuk demo TanyaKerja.",
            }
        )
    cols = [
        "source",
        "source_id",
        "title",
        "company",
        "city",
        "province",
        "sector",
        "education",
        "salary_min",
        "salary_max",
        "posted_at",
        "expires_at",
        "country",
        "agency_license",
        "url",
        "description",
        "headcount",
    ]
    with (OUT / "vacancies.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=cols)
        w.writeheader()
        w.writerows(canonical)
    with (OUT / "feeds" / "bursakerja-kepri.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=list(kepri[0]), delimiter=";")
        w.writeheader()
        w.writerows(kepri)
    with (OUT / "feeds" / "disnaker-jatim.jsonl").open("w", encoding="utf-8") as fh:
        for obj in jatim:
            fh.write(json.dumps(obj, ensure_ascii=False) + "\n")
    print(len(canonical), len(kepri), len(jatim))


if __name__ == "__main__":
    main()
