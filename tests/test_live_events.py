"""The live stream's edges: a member removed mid-stream, a bogus Last-Event-ID, pruning."""

import asyncio
import io
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editions import events
from editions.models import Event, Membership


def _events_url(document) -> str:
    return reverse("editions:document_events", args=[document.edition.slug, document.slug])


def _run(coroutine, timeout=30):
    # A thread of its own: Playwright's sync API may hold an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=timeout)


@pytest.mark.django_db(transaction=True)
def test_a_removed_members_open_stream_stops_before_the_next_event(document):
    annotator = get_user_model().objects.get(username="annotator")

    def remove_then_publish() -> int:
        Membership.objects.filter(edition=document.edition, user=annotator).delete()
        return events.publish(document.pk, "annotation-created", {"annotation": 424242}).pk

    async def read_until_the_stream_ends() -> tuple[str, int]:
        newest = await sync_to_async(events.last_event_id)(document.pk)
        stream = events.stream(document.pk, annotator.pk, newest)
        chunks = [await anext(stream)]  # the stream is open: "retry" and the id to resume from
        published = await sync_to_async(remove_then_publish)()
        async for chunk in stream:  # ends by itself: the loop gives up after 30 s
            chunks.append(chunk)
        return "".join(chunks), published

    text, published = _run(read_until_the_stream_ends())
    assert text.startswith("retry:")
    assert f"id: {published}" not in text and "424242" not in text


@pytest.mark.django_db(transaction=True)
def test_a_member_still_in_the_edition_keeps_receiving(document):
    annotator = get_user_model().objects.get(username="annotator")

    async def read_the_next_event() -> tuple[str, int]:
        newest = await sync_to_async(events.last_event_id)(document.pk)
        stream = events.stream(document.pk, annotator.pk, newest)
        await anext(stream)
        published = await sync_to_async(events.publish)(document.pk, "annotation-created", {})
        async for chunk in stream:
            if chunk.startswith("id:") and "event:" in chunk:
                await stream.aclose()
                return chunk, published.pk
        return "", published.pk

    chunk, published = _run(read_the_next_event())
    assert chunk.startswith(f"id: {published}\n")


@pytest.mark.parametrize("claimed", [str(10**30), "99999999999", "-5", "abc", ""])
def test_a_bogus_last_event_id_resumes_from_the_newest_event(document, claimed):
    newest = events.publish(document.pk, "presence", {}).pk
    assert events.resume_point(document.pk, claimed) == newest


def test_a_genuine_last_event_id_is_kept(document):
    first = events.publish(document.pk, "presence", {}).pk
    events.publish(document.pk, "presence", {})
    assert events.resume_point(document.pk, str(first)) == first


def test_after_a_huge_last_event_id_the_browser_still_gets_new_events(client_as, document):
    earlier = events.publish(document.pk, "segment-changed", {"segment": 1})
    client = client_as("reader")
    url = _events_url(document)
    answer = client.get(url, headers={"Last-Event-ID": str(10**30)}).content.decode()
    ids = [int(line[4:]) for line in answer.splitlines() if line.startswith("id: ")]
    assert ids[0] == earlier.pk  # resumes from the newest event, replaying nothing
    assert f"id: {earlier.pk}\nevent:" not in answer
    change = events.publish(document.pk, "segment-changed", {"segment": 1})
    # The browser asks again with the last id it was given, as EventSource does.
    answer = client.get(url, headers={"Last-Event-ID": str(ids[-1])}).content.decode()
    assert f"id: {change.pk}\nevent: changed" in answer


def test_a_change_made_while_the_page_loads_reaches_its_stream(client_as, document):
    earlier = events.publish(document.pk, "segment-changed", {"segment": 1})
    client = client_as("reader")
    page = client.get(document.get_absolute_url()).content.decode()
    stream = re.search(r'sse-connect="([^"]+)"', page)[1]
    assert stream == f"{_events_url(document)}?after={earlier.pk}"  # the newest as it read
    # Someone saves before the browser has opened the stream: no Last-Event-ID yet.
    change = events.publish(document.pk, "segment-changed", {"segment": 1})
    answer = client.get(stream).content.decode()
    assert f"id: {change.pk}\nevent: changed" in answer
    assert f"id: {earlier.pk}\nevent:" not in answer  # what the page already shows


def test_the_write_path_keeps_the_event_table_within_its_window(document, settings, monkeypatch):
    settings.EVENTS_KEEP = 20
    monkeypatch.setattr(events, "PRUNE_EVERY", 5)
    for _ in range(200):
        events.publish(document.pk, "presence", {})
    newest = events.last_event_id(document.pk)
    assert Event.objects.count() <= 20 + 5
    assert Event.objects.filter(pk=newest).exists()
    assert not Event.objects.filter(pk__lte=newest - 25).exists()


def test_prune_events_keeps_the_newest_and_drops_the_old(document):
    for _ in range(30):
        events.publish(document.pk, "presence", {})
    newest = events.last_event_id(document.pk)
    week_old = Event.objects.order_by("pk").values_list("pk", flat=True)[10:15]
    Event.objects.filter(pk__in=list(week_old)).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    out = io.StringIO()
    call_command("prune_events", "--keep", "20", "--days", "7", stdout=out)
    remaining = list(Event.objects.order_by("pk").values_list("pk", flat=True))
    assert len(remaining) == 15  # the newest 20, less the 5 that are a week old
    assert remaining[-1] == newest
    assert out.getvalue() == "Deleted 15 events.\n"


def test_prune_events_refuses_a_window_of_nothing(db):
    with pytest.raises(Exception, match="at least 1"):
        call_command("prune_events", "--keep", "0", stdout=io.StringIO())
