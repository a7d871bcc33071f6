"""Prune the live-update log: ``manage.py prune_events [--keep N] [--days D]``.

The write path already drops events as they leave the window, in small batches; this command
clears a backlog (a database from before pruning existed, a burst) and applies the age limit.
Run it from cron (daily is plenty).
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from editions.events import prune_events


class Command(BaseCommand):
    help = "Delete live-update events beyond the newest --keep and older than --days."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep",
            type=int,
            default=settings.EVENTS_KEEP,
            help=f"events kept at most (default EVENTS_KEEP, {settings.EVENTS_KEEP})",
        )
        parser.add_argument(
            "--days",
            type=int,
            default=settings.EVENTS_KEEP_DAYS,
            help=f"days an event is kept at most (default EVENTS_KEEP_DAYS, "
            f"{settings.EVENTS_KEEP_DAYS})",
        )

    def handle(self, *args, keep: int, days: int, **options) -> None:
        if keep < 1 or days < 1:
            raise CommandError("--keep and --days must be at least 1.")
        dropped = prune_events(keep=keep, older_than=timedelta(days=days))
        self.stdout.write(f"Deleted {dropped} events.")
