"""Demo accounts, one or more per role. All share one password, printed by `load_demo`."""

from __future__ import annotations

from vokasi.catalog.models import Batch, Partner
from vokasi.core.models import User
from vokasi.core.roles import Role

DEMO_PASSWORD = "bontang2025"  # noqa: S105 - printed on purpose: a demo, never production

# (username, full name, role, NIP, partner name)
ACCOUNTS: tuple[tuple[str, str, str, str, str | None], ...] = (
    ("admin", "Hj. Rusmiati, S.E., M.M.", Role.ADMIN, "197504122000032004", None),
    ("staf", "Andi Muhammad Ikhsan, S.Kom.", Role.STAFF, "198807152015031002", None),
    ("instruktur", "Bambang Supriyadi", Role.INSTRUCTOR, "198203102009011005", None),
    ("instruktur2", "Fransiska Palimbong, S.Tr.", Role.INSTRUCTOR, "199106042019032011", None),
    ("asesor", "Ir. Syamsul Bahri", Role.ASSESSOR, "", None),
    (
        "lapas",
        "Yudi Hartono, A.Md.IP.",
        Role.PARTNER,
        "198911222010121001",
        "Lapas Kelas IIA Bontang",
    ),
    ("pemkot", "Nur Aisyah Hamid, S.E.", Role.VIEWER, "199302182017082001", None),
)


def load_accounts() -> list[tuple[str, str, str]]:
    rows = []
    for username, name, role, nip, partner_name in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=name,
                role=role,
                nip=nip,
                partner=Partner.objects.get(name=partner_name) if partner_name else None,
                is_staff=role == Role.ADMIN,
                is_superuser=role == Role.ADMIN,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
        rows.append((username, str(Role(role).label), name))
    instructors = {u.username: u for u in User.objects.filter(role=Role.INSTRUCTOR)}
    for batch in Batch.objects.filter(instructors__isnull=True):
        teacher = instructors.get(
            "instruktur2" if batch.programme.code in {"TRS", "BAR", "DKV", "PIK"} else "instruktur"
        )
        if teacher:
            batch.instructors.add(teacher)
    return rows
