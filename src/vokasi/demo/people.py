"""Plausible people of East Kalimantan for the demo: names, birth dates, valid NIKs.

Deterministic (a seeded generator), so every `make demo` tells the same story. The
names mix the region's communities (Banjar, Bugis, Javanese, Kutai, Dayak, Toraja).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

MALE_FIRST = [
    "Muhammad",
    "Ahmad",
    "Rizky",
    "Andi",
    "Fajar",
    "Dimas",
    "Aditya",
    "Ilham",
    "Reza",
    "Bayu",
    "Hendra",
    "Arif",
    "Yusuf",
    "Fadli",
    "Taufik",
    "Agus",
    "Eko",
    "Rahmat",
    "Syahrul",
    "Gilang",
    "Wahyu",
    "Irfan",
    "Daeng",
    "Heri",
    "Yohanes",
    "Markus",
    "Stefanus",
    "Aldi",
    "Firman",
    "Rudi",
    "Dedi",
    "Ridwan",
    "Hamka",
    "Sulaiman",
    "Basri",
    "Alfian",
    "Nur",
    "Zulkifli",
    "Rafi",
    "Akbar",
]
FEMALE_FIRST = [
    "Siti",
    "Nur",
    "Dewi",
    "Rina",
    "Putri",
    "Ayu",
    "Fitri",
    "Sri",
    "Wulan",
    "Anisa",
    "Indah",
    "Nurul",
    "Dian",
    "Ratna",
    "Yuliana",
    "Maria",
    "Rosalina",
    "Nadia",
    "Halimah",
    "Aisyah",
    "Andi",
    "Sartika",
    "Rahmawati",
    "Eka",
    "Mega",
    "Novi",
    "Lestari",
    "Hasnah",
    "Kartini",
    "Yohana",
]
FAMILY = [
    "Saputra",
    "Pratama",
    "Hidayat",
    "Rahman",
    "Syahputra",
    "Nugroho",
    "Setiawan",
    "Kurniawan",
    "Wijaya",
    "Hasanuddin",
    "Amiruddin",
    "Baharuddin",
    "Mappanganro",
    "Daeng Masiga",
    "Ramadhan",
    "Fitriani",
    "Lestari",
    "Wahyuni",
    "Sari",
    "Handayani",
    "Anggraini",
    "Rahmadani",
    "Permatasari",
    "Lumban Gaol",
    "Tandi Rura",
    "Pasolang",
    "Lajar",
    "Ngau",
    "Iskandar",
    "Maulana",
    "Akbar",
    "Firdaus",
    "Sulistyo",
    "Susanto",
    "Hermawan",
    "Ansyari",
    "Noor",
    "Aini",
    "Rusdi",
    "Jamaluddin",
]
BIRTH_PLACES = {
    "6474": ["Bontang", "Bontang", "Bontang", "Samarinda", "Sangatta", "Makassar", "Pare-Pare"],
    "6472": ["Samarinda", "Samarinda", "Tenggarong", "Balikpapan", "Banjarmasin"],
    "6408": ["Sangatta", "Sangatta", "Bengalon", "Muara Wahau", "Bontang", "Toraja Utara"],
}
STREETS = {
    "6474": [
        "Jl. Ahmad Yani",
        "Jl. MT Haryono",
        "Jl. Brigjend Katamso",
        "Jl. Imam Bonjol",
        "Jl. Pupuk Raya",
        "Jl. KS Tubun",
        "Jl. Cut Nyak Dien",
        "Jl. Letjend S. Parman",
        "Jl. Jend. Sudirman",
        "Jl. DI Panjaitan",
    ],
    "6472": [
        "Jl. Pangeran Antasari",
        "Jl. Juanda",
        "Jl. Slamet Riyadi",
        "Jl. P. Suryanata",
        "Jl. Cendana",
        "Jl. Gatot Subroto",
        "Jl. KH Wahid Hasyim",
    ],
    "6408": [
        "Jl. Yos Sudarso",
        "Jl. APT Pranoto",
        "Jl. Poros Bengalon",
        "Jl. Soekarno-Hatta",
        "Jl. Ciptomangunkusumo",
    ],
}
# Districts (first-registration areas of the NIK and places of residence).
DISTRICTS = {
    "6474": ["647401", "647402", "647403"],
    "6472": [
        "647201",
        "647202",
        "647203",
        "647204",
        "647205",
        "647206",
        "647207",
        "647208",
        "647209",
        "647210",
    ],
    "6408": ["640804", "640812", "640809", "640802", "640813"],
}


@dataclass(frozen=True)
class DemoPerson:
    nik: str
    kk: str
    full_name: str
    sex: str  # "M" or "F"
    birth_place: str
    birth_date: dt.date
    district: str
    address: str
    phone: str


def nik_for(district: str, birth_date: dt.date, sex: str, serial: int) -> str:
    """Dukcapil's layout: district code, DDMMYY with 40 added to the day for women, serial."""
    day = birth_date.day + (40 if sex == "F" else 0)
    return f"{district}{day:02d}{birth_date:%m%y}{serial:04d}"


class PeopleFactory:
    def __init__(self, seed: int, *, first_serial: int = 1) -> None:
        """`first_serial` keeps factories apart: two factories with different ranges never
        make the same NIK, whatever birth dates they happen to draw."""
        self.random = random.Random(seed)
        self.first_serial = first_serial
        self._serials: dict[str, int] = {}
        self._names: set[str] = set()

    def person(
        self, *, regency: str, sex: str, age_range: tuple[int, int], on: dt.date
    ) -> DemoPerson:
        r = self.random
        district = r.choice(DISTRICTS[regency])
        age = r.randint(*age_range)
        birth_date = on - dt.timedelta(days=age * 365 + r.randint(10, 350))
        key = district + f"{birth_date:%d%m%y}{sex}"
        self._serials[key] = self._serials.get(key, self.first_serial - 1) + 1
        nik = nik_for(district, birth_date, sex, self._serials[key])
        kk = f"{district}{r.randint(1, 28):02d}{r.randint(1, 12):02d}{r.randint(10, 24):02d}{r.randint(1, 9999):04d}"
        return DemoPerson(
            nik=nik,
            kk=kk,
            full_name=self._name(sex),
            sex=sex,
            birth_place=r.choice(BIRTH_PLACES[regency]),
            birth_date=birth_date,
            district=district,
            address=f"{r.choice(STREETS[regency])} No. {r.randint(1, 120)}, RT {r.randint(1, 45):03d}",
            phone=f"08{r.choice(['11', '12', '13', '21', '22', '52', '53', '77', '78', '95'])}{r.randint(10_000_000, 99_999_999)}",
        )

    def _name(self, sex: str) -> str:
        first = MALE_FIRST if sex == "M" else FEMALE_FIRST
        for _ in range(100):
            parts = [self.random.choice(first), self.random.choice(FAMILY)]
            if self.random.random() < 0.3:
                parts.insert(0, self.random.choice(first))
            name = " ".join(parts)
            if len(set(parts)) == len(parts) and name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("ran out of demo names")
