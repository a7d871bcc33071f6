"""Import a record file as a witness of a document: ``manage.py import_document PATH``."""

from collections import Counter
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from editions.importers import parse_record, save_record
from editions.importers.base import RecordError
from editions.importers.decoding import check_size
from editions.importers.store import find_identical_witness
from editions.models import Document, Edition, FootnoteRef, SegmentKind, Witness, WitnessRole

DEFAULT_EDITION = "cuban-crisis-1962"


class Command(BaseCommand):
    help = (
        "Import a CVCE, Wilson Center or plain-text record as a witness: of a new document, "
        "or of the document given with --document."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the record file")
        parser.add_argument(
            "--edition", default=DEFAULT_EDITION, help=f"edition slug (default {DEFAULT_EDITION})"
        )
        parser.add_argument(
            "--create-edition",
            action="store_true",
            help="create the edition if it does not exist",
        )
        parser.add_argument(
            "--document",
            metavar="SLUG",
            help="add the witness to this document (created with this slug if missing)",
        )
        parser.add_argument("--language", help="the text's language (BCP 47: fr, en)")
        parser.add_argument(
            "--role", choices=[WitnessRole.ORIGINAL.value, WitnessRole.TRANSLATION.value]
        )
        parser.add_argument("--label", help="the witness's label, e.g. 'French original'")

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        record = self._parse(path)
        with transaction.atomic():
            edition = self._edition(options["edition"], options["create_edition"])
            slug = options["document"]
            existed = bool(slug) and Document.objects.filter(edition=edition, slug=slug).exists()
            if (same := find_identical_witness(record, edition)) is not None:
                record.warnings.append(
                    f"the same text is already in the edition, as {same.label} of "
                    f"{same.document.slug}: this is a second copy"
                )
            try:
                witness = save_record(
                    record,
                    edition=edition,
                    document_slug=slug,
                    language=options["language"],
                    role=options["role"],
                    label=options["label"],
                    filename=path.name,
                )
            except RecordError as exc:
                raise CommandError(str(exc)) from exc
        self._report(witness, existed, record.warnings, record.notices)

    def _parse(self, path: Path):
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            check_size(path.stat().st_size)  # before reading a file far too large
            return parse_record(path.read_bytes(), path.name)
        except RecordError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc

    def _edition(self, slug: str, create: bool) -> Edition:
        edition = Edition.objects.filter(slug=slug).first()
        if edition is not None:
            return edition
        if create:
            return Edition.objects.create(slug=slug, title=slug.replace("-", " ").capitalize())
        existing = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
        raise CommandError(
            f"No edition “{slug}” (existing editions: {existing}). "
            "Give one with --edition, or add --create-edition to create it."
        )

    def _report(
        self, witness: Witness, existed: bool, warnings: list[str], notices: list[str]
    ) -> None:
        document = witness.document
        kinds = Counter(witness.segments.values_list("kind", flat=True))
        links = FootnoteRef.objects.filter(segment__witness=witness).count()
        self.stdout.write(
            self.style.SUCCESS(f"Imported {witness.label} into {document.edition.slug}.")
        )
        state = "existing document" if existed else "new document"
        self.stdout.write(f"  document: {document.slug} — {document.title} ({state})")
        self.stdout.write(
            f"  witness: {witness.slug} — {witness.label} "
            f"({witness.language}, {witness.get_role_display()}, read as {witness.source_format})"
        )
        self.stdout.write(
            f"  segments: {sum(kinds.values())} (headings: {kinds[SegmentKind.HEADING]}, "
            f"paragraphs: {kinds[SegmentKind.PARAGRAPH]}, footnotes: {kinds[SegmentKind.FOOTNOTE]})"
            f"; footnote links: {links}"
        )
        for notice in notices:
            self.stdout.write(f"  note: {notice}")
        for warning in warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))
