"""Load the demo: the Cuban-crisis edition (the two seed records as published), the Verne
edition (a French original, two translations, aligned and annotated) and a demo user,
idempotently."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from editions.demo_verne import load_verne
from editions.importers import parse_record, save_record
from editions.models import Edition, Membership, Role, Witness

DEMO_SLUG = "cuban-crisis-1962"
DEMO_TITLE = "The Cuban crisis in French diplomatic documents, 1962"
DEMO_DESCRIPTION = (
    "French diplomatic documents of the 1962 Cuban crisis (Documents diplomatiques français, "
    "1962, vol. II) with their English translations published by the CVCE and by the Wilson "
    "Center Digital Archive."
)
# The names and bodies the French texts and their English translations spell differently,
# so that a search in either language finds both. Two-letter forms (UN, US) are left out:
# they are French and English words too (*un*, *us*).
DEMO_EQUIVALENTS = "\n".join(
    [
        "Khrushchev, Khrouchtchev",
        "Dobrynin, Dobrynine",
        "Mikoyan, Mikoïan",
        "Soviet Union, USSR, URSS, Union soviétique",
        "United Nations, Nations unies, ONU",
        "NATO, OTAN",
        "Organization of American States, OAS, OEA, Organisation des États américains",
    ]
)
DEMO_USER = "demo"
DEMO_PASSWORD = "cuba-1962-demo"  # noqa: S105 - the published demo login (README)
SEED_FILES = ["cvce-alphand-1962-10-26.txt", "wilson-circular-96-1962-11-10.md"]
FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Create the demo editions (Cuban crisis, Verne) and the demo user (idempotent)."

    def handle(self, *args, **options):
        with transaction.atomic():
            edition = self._edition()
            user = self._demo_user()
            Membership.objects.get_or_create(
                edition=edition, user=user, defaults={"role": Role.OWNER}
            )
            for name in SEED_FILES:
                self._import(edition, name)
        load_verne(user, self.stdout.write)
        self.stdout.write(
            self.style.SUCCESS(f"Demo edition ready. Sign in as {DEMO_USER} / {DEMO_PASSWORD}")
        )

    def _edition(self) -> Edition:
        edition, _created = Edition.objects.get_or_create(
            slug=DEMO_SLUG,
            defaults={
                "title": DEMO_TITLE,
                "description": DEMO_DESCRIPTION,
                "is_public": False,
                "search_equivalents": DEMO_EQUIVALENTS,
            },
        )
        return edition

    def _demo_user(self):
        users = get_user_model()
        user, created = users.objects.get_or_create(username=DEMO_USER)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        return user

    def _import(self, edition: Edition, name: str) -> None:
        already = Witness.objects.filter(document__edition=edition, source_filename=name)
        if already.exists():
            self.stdout.write(f"{name}: already loaded")
            return
        record = parse_record((FIXTURES / name).read_bytes(), name)
        witness = save_record(record, edition=edition, filename=name)
        self.stdout.write(f"{name}: {witness.document.title} ({witness.segments.count()} segments)")
