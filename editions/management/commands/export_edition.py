"""Export an edition or one document: ``manage.py export_edition SLUG --format tei --output PATH``.

The same files as the browser's downloads: one document in one format is that file; several
formats, or the whole edition, a ZIP. Absolute IRIs (JSON-LD, links) start with SITE_URL.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from editions.exporters import FORMATS, ExportFile
from editions.exporters.bundle import document_bundle, edition_bundle
from editions.models import Document, Edition


class Command(BaseCommand):
    help = "Export an edition (a ZIP of every document) or one document, in chosen formats."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("edition", metavar="SLUG", help="the edition's slug")
        parser.add_argument(
            "--format",
            dest="formats",
            action="append",
            required=True,
            choices=list(FORMATS),
            help="a format; repeat the option for several",
        )
        parser.add_argument("--document", metavar="SLUG", help="only this document")
        parser.add_argument(
            "--output",
            required=True,
            metavar="PATH",
            help="the file to write, or a directory to write it into under its own name",
        )
        parser.add_argument(
            "--base-url",
            default=settings.SITE_URL,
            help=f"where the site is served, for absolute links (default {settings.SITE_URL})",
        )

    def handle(self, *args, **options) -> None:
        edition = Edition.objects.filter(slug=options["edition"]).first()
        if edition is None:
            existing = ", ".join(Edition.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"No edition “{options['edition']}” (existing: {existing}).")
        self.verbosity = options["verbosity"]
        formats = list(dict.fromkeys(options["formats"]))
        base_url = options["base_url"]
        if options["document"]:
            item = document_bundle(self._document(edition, options["document"]), formats, base_url)
        else:
            item = edition_bundle(edition, formats, base_url, self._progress)
        path = self._write(item, Path(options["output"]))
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(item.data)} bytes)."))

    def _document(self, edition: Edition, slug: str) -> Document:
        document = edition.documents.filter(slug=slug).first()
        if document is None:
            raise CommandError(f"The edition “{edition.slug}” has no document “{slug}”.")
        return document

    def _progress(self, done: int, total: int, step: int, steps: int) -> None:
        if self.verbosity > 1 and not steps:  # a file written, not a step within one
            self.stdout.write(f"  {done}/{total} files")

    def _write(self, item: ExportFile, output: Path) -> Path:
        path = output / item.name if output.is_dir() else output
        if not path.parent.is_dir():
            raise CommandError(f"No such directory: {path.parent}")
        path.write_bytes(item.data)
        return path
