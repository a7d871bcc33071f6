"""Time the concordance's regular expressions on the probes of issue 15.

A document whose French text holds a run of 2,500 ``e`` (where Python's backtracking ``re``
took cubic time), plus ``--segments`` ordinary paragraphs for a pattern without a literal to
read through. Built in a transaction that is rolled back: the database is left as it was.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from editions import concordance, search
from editions.models import Document, Edition, Segment, Witness, WitnessRole

PROBES = [r"(e|é)+(e|é)+$", r"[eé]+[eé]+$", r"\w+\w+$", r"\bb\w{0,3}ab\b"]


class Rollback(Exception):
    pass


class Command(BaseCommand):
    help = "Time the concordance's regex mode on catastrophic patterns (rolled back)."

    def add_arguments(self, parser):
        parser.add_argument("--run", type=int, default=2500, help="Length of the run of e.")
        parser.add_argument("--segments", type=int, default=20_000)

    def handle(self, *args, run: int, segments: int, **options):
        try:
            with transaction.atomic():
                edition = self._build(run, segments)
                filters = search.Filters(edition_ids=[edition.pk])
                for pattern in PROBES:
                    started, cpu = time.perf_counter(), time.process_time()
                    found = concordance.build(concordance.Query(pattern, "fr", "regex"), filters)
                    wall = (time.perf_counter() - started) * 1000
                    cpu = (time.process_time() - cpu) * 1000
                    self.stdout.write(
                        f"{pattern:24} {wall:8.0f} ms (CPU {cpu:6.0f} ms)  lines {found.total}"
                        f"{'  ' + found.stopped if found.stopped else ''}"
                    )
                raise Rollback
        except Rollback:
            pass

    def _build(self, run: int, segments: int) -> Edition:
        user = get_user_model().objects.create_user("regex-probe")
        edition = Edition.objects.create(title="Regex probe", slug="regex-probe")
        edition.memberships.create(user=user, role="owner")
        document = Document.objects.create(edition=edition, slug="probe", title="Probe")
        witness = Witness.objects.create(
            document=document, slug="fr", label="FR", language="fr", role=WitnessRole.ORIGINAL
        )
        texts = [f"Un cri : {'e' * run}"]
        texts += [f"Le paragraphe {n} parle de la quarantaine de Cuba." for n in range(segments)]
        Segment.objects.bulk_create(
            Segment(witness=witness, sid=f"p{n}", position=n, text=text)
            for n, text in enumerate(texts)
        )
        self.stdout.write(f"a run of {run} e, then {segments} paragraphs")
        return edition
