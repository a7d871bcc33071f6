"""Live updates: an append-only event log per document, streamed as server-sent events.

Writers append an ``Event`` inside their own transaction (``publish``); on PostgreSQL they
also NOTIFY, which the database delivers only at commit. Each open page holds one stream
that sends every event after the last one it saw, so a reconnecting browser (Last-Event-ID)
misses nothing, and several server processes can serve streams: the table is the truth,
NOTIFY only wakes the listeners early. On SQLite (one process, the demo) the stream polls.
"""

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator
from datetime import timedelta

from asgiref.sync import sync_to_async
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, connections
from django.db.models import Max, Q
from django.utils import timezone

from .models import Edition, Event, Presence
from .permissions import role_in

logger = logging.getLogger(__name__)

EVENT_CHANNEL = "workbench_events"
POLL_SECONDS = 0.25  # SQLite: how often a stream looks for new events
HEARTBEAT_SECONDS = 10  # a comment line keeps proxies from closing an idle stream
PRESENCE_SECONDS = 5  # how often a stream says its reader is still there
PRESENT_FOR_SECONDS = 20  # a reader not heard from for this long has left
STREAM_SECONDS = 300  # streams end after this; EventSource reconnects with Last-Event-ID
WSGI_RETRY_MS = 2000  # under WSGI each answer is short; the browser asks again after this
ACCESS_CHECK_SECONDS = 5  # how often an open stream asks again whether its reader may read
# The write path prunes once per this many events, a bounded batch each time.
PRUNE_EVERY = 500


def publish(document_id: int, kind: str, data: dict, only_for=None) -> Event:
    """Append an event in the caller's transaction (PostgreSQL wakes listeners at commit)."""
    event = Event.objects.create(document_id=document_id, kind=kind, data=data, only_for=only_for)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, %s)", [EVENT_CHANNEL, str(document_id)])
    if event.pk % PRUNE_EVERY == 0:
        prune_behind(event.pk)
    return event


def prune_behind(newest_id: int) -> int:
    """Drop the events that fell out of the kept window since the last prune (the write path).

    Bounded: only ids in the last few PRUNE_EVERY below the window's start, an index range,
    so a write never pays for a backlog (``manage.py prune_events`` clears that).
    """
    first_kept = newest_id - settings.EVENTS_KEEP + 1
    stale = Event.objects.filter(pk__lt=first_kept, pk__gte=first_kept - 4 * PRUNE_EVERY)
    return stale.delete()[0]


def prune_events(keep: int, older_than: timedelta) -> int:
    """Keep at most the ``keep`` newest events, none older than ``older_than``; the count dropped.

    Streams replay from the table after a reconnection; one away for longer than the window
    misses nothing that matters: its page re-reads the document at its next event.
    """
    newest = Event.objects.aggregate(newest=Max("pk"))["newest"] or 0
    dropped = Event.objects.filter(pk__lte=newest - keep).delete()[0]
    # At most ``keep`` rows remain: scanning them for their age is bounded.
    cutoff = timezone.now() - older_than
    return dropped + Event.objects.filter(created_at__lt=cutoff).delete()[0]


def last_event_id(document_id: int) -> int:
    last = Event.objects.filter(document_id=document_id).order_by("-pk").first()
    return last.pk if last else 0


def resume_point(document_id: int, claimed: str | None) -> int:
    """The event after which a stream starts: the browser's Last-Event-ID, or now.

    An id this server never gave for the document (not a number, negative, beyond its newest
    event: a bogus header, or one kept from before the table was reset) would leave the
    stream waiting for ids that never come, so the stream starts from the newest event instead.
    """
    newest = last_event_id(document_id)
    if not claimed:
        return newest
    try:
        after = int(claimed[:20])
    except ValueError:
        return newest
    return after if 0 <= after <= newest else newest


def may_read(document_id: int, user_id: int) -> bool:
    """Whether the user may still read the document (membership, public edition, active)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    edition = Edition.objects.filter(documents__pk=document_id).first()
    return user is not None and edition is not None and role_in(user, edition) is not None


def events_after(document_id: int, user_id: int, after: int) -> list[Event]:
    return list(
        Event.objects.filter(document_id=document_id, pk__gt=after)
        .filter(Q(only_for__isnull=True) | Q(only_for_id=user_id))
        .order_by("pk")[:200]
    )


def present_users(document_id: int) -> list[str]:
    since = timezone.now() - timedelta(seconds=PRESENT_FOR_SECONDS)
    rows = Presence.objects.filter(document_id=document_id, last_seen__gte=since)
    return sorted(rows.values_list("user__username", flat=True))


def touch_presence(document_id: int, user_id: int) -> bool:
    """Record that the user is viewing; True if they had not been counted as present."""
    since = timezone.now() - timedelta(seconds=PRESENT_FOR_SECONDS)
    was_present = Presence.objects.filter(
        document_id=document_id, user_id=user_id, last_seen__gte=since
    ).exists()
    Presence.objects.update_or_create(
        document_id=document_id, user_id=user_id, defaults={"last_seen": timezone.now()}
    )
    if not was_present:
        publish(document_id, "presence", {})
    return not was_present


def leave(document_id: int, user_id: int) -> None:
    Presence.objects.filter(document_id=document_id, user_id=user_id).delete()
    publish(document_id, "presence", {})


def _close_thread_connections() -> None:
    for conn in connections.all(initialized_only=True):
        if conn.allow_thread_sharing:
            continue  # shared with the test runner's thread; it closes it
        conn.close()


def format_event(event: Event) -> str:
    # Pages listen for two names: "changed" (re-read the text and its annotations) and
    # "presence" (re-read who is here); the precise kind travels in the data.
    name = "presence" if event.kind == "presence" else "changed"
    data = json.dumps({"kind": event.kind, **event.data})
    return f"id: {event.pk}\nevent: {name}\ndata: {data}\n\n"


def _resume_from(after: int) -> str:
    # An id with no data sets the browser's Last-Event-ID without firing an event, so a
    # reconnection resumes from here even when nothing happened in between.
    return f"id: {after}\n\n"


def poll_once(document_id: int, user_id: int, after: int) -> str:
    """Under WSGI, which cannot hold a stream open: what happened since ``after``, then close.

    EventSource reconnects by itself after ``retry`` milliseconds with the last id it saw,
    so the page still hears every change, a couple of seconds late, and no worker is held.
    """
    touch_presence(document_id, user_id)
    answer = [f"retry: {WSGI_RETRY_MS}\n\n", _resume_from(after)]
    answer += [format_event(event) for event in events_after(document_id, user_id, after)]
    return "".join(answer)


class _Waker:
    """Waits for the next NOTIFY on PostgreSQL, or just a short while on SQLite."""

    def __init__(self):
        self.conn = None

    async def open(self) -> None:
        if connection.vendor != "postgresql":
            return
        import psycopg

        params = await sync_to_async(connection.get_connection_params)()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        self.conn = await psycopg.AsyncConnection.connect(**params, autocommit=True)
        await self.conn.execute(f"LISTEN {EVENT_CHANNEL}")

    async def wait(self, seconds: float) -> None:
        if self.conn is None:
            await asyncio.sleep(min(seconds, POLL_SECONDS))
            return
        async for _notify in self.conn.notifies(timeout=seconds, stop_after=1):
            break

    async def close(self) -> None:
        if self.conn is not None:
            await self.conn.close()


async def stream(document_id: int, user_id: int, after: int) -> AsyncIterator[str]:
    """The event stream of one reader of one document."""
    waker = _Waker()
    await waker.open()
    started = last_beat = last_presence = time.monotonic()
    try:
        yield "retry: 1000\n\n" + _resume_from(after)
        await sync_to_async(touch_presence)(document_id, user_id)
        last_check = started
        while time.monotonic() - started < STREAM_SECONDS:
            news = await sync_to_async(events_after)(document_id, user_id, after)
            # A member removed while the page is open hears nothing more: access is asked again
            # before any event goes out and every few seconds. Ending the stream makes the
            # browser reconnect, and the reconnection is refused like any unauthorised request.
            if news or time.monotonic() - last_check > ACCESS_CHECK_SECONDS:
                if not await sync_to_async(may_read)(document_id, user_id):
                    return
                last_check = time.monotonic()
            for event in news:
                after = event.pk
                yield format_event(event)
            now = time.monotonic()
            if now - last_presence > PRESENCE_SECONDS:
                await sync_to_async(touch_presence)(document_id, user_id)
                last_presence = now
            if now - last_beat > HEARTBEAT_SECONDS:
                yield ": still here\n\n"
                last_beat = now
            await waker.wait(PRESENCE_SECONDS)
    finally:
        await waker.close()
        try:
            await sync_to_async(leave)(document_id, user_id)
        except DatabaseError:
            # The server may be shutting down; presence expires by itself anyway.
            logger.info("could not record that user %s left document %s", user_id, document_id)
        # The stream's database work ran in a thread of its own: close what it opened there.
        await sync_to_async(_close_thread_connections)()
