"""Import a TEI file exported by the workbench, or a TMX memory, as a new document:
``manage.py import_exchange PATH --edition SLUG [--create-edition] [--user NAME]``."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from editions.importers.base import RecordError
from editions.importers.decoding import check_size
from editions.importers.exchange import ExchangeDocument, parse_exchange, save_exchange
from editions.models import Edition, Membership, Role


class Command(BaseCommand):
    help = "Import a TEI or TMX file as a new document (texts, alignments, annotations)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the .tei.xml or .tmx file")
        parser.add_argument("--edition", required=True, help="the edition's slug")
        parser.add_argument(
            "--create-edition",
            action="store_true",
            help="create the edition if it does not exist (a TEI file gives its title)",
        )
        parser.add_argument(
            "--user",
            help="who imports: recorded on the alignments, made owner of a new edition",
        )

    def handle(self, *args, **options) -> None:
        path = Path(options["path"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        user = self._user(options["user"])
        try:
            check_size(path.stat().st_size)
            parsed = parse_exchange(path.read_bytes(), path.name)
            with transaction.atomic():
                edition = self._edition(options["edition"], options["create_edition"], user, parsed)
                document = save_exchange(parsed, edition=edition, user=user, filename=path.name)
        except RecordError as exc:
            raise CommandError(f"{path.name}: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {document.slug} into {edition.slug}: "
                f"{document.witnesses.count()} texts, {document.alignments.count()} alignments, "
                f"{document.annotations.count()} annotations."
            )
        )
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))

    def _user(self, username: str | None):
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user “{username}”.")
        return user

    def _edition(self, slug: str, create: bool, user, parsed: ExchangeDocument) -> Edition:
        edition = Edition.objects.filter(slug=slug).first()
        if edition is not None:
            return edition
        if not create:
            raise CommandError(f"No edition “{slug}”. Add --create-edition to create it.")
        title = parsed.edition_title or slug.replace("-", " ").capitalize()
        edition = Edition.objects.create(slug=slug, title=title)
        if user is not None:
            Membership.objects.create(edition=edition, user=user, role=Role.OWNER)
        return edition
