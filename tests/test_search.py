"""Full-text search: stemming, accents, filters, the index kept current, permissions, pages.

Every test runs on the configured database: SQLite (FTS5) by default, PostgreSQL in CI.
"""

import datetime

import pytest
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.urls import reverse

from editions import search
from editions.annotating import (
    Span,
    create_annotation,
    delete_annotation,
    ensure_categories,
    reanchor_segment,
    reattach,
    update_annotation,
)
from editions.models import (
    Annotation,
    AnnotationTarget,
    Category,
    Document,
    Edition,
    Membership,
    Role,
    Segment,
    Visibility,
    Witness,
    WitnessRole,
)


def add_witness(document, slug, language, texts, role=WitnessRole.TRANSLATION, translator=""):
    witness = Witness.objects.create(
        document=document,
        slug=slug,
        label=f"{slug} witness",
        language=language,
        role=role,
        translator=translator,
        next_serial=len(texts) + 1,
    )
    for n, text in enumerate(texts, start=1):
        Segment.objects.create(witness=witness, sid=f"p{n}", position=n, text=text)
    return witness


def everything(edition=None, **filters) -> search.Filters:
    editions = [edition.pk] if edition else list(Edition.objects.values_list("pk", flat=True))
    return search.Filters(edition_ids=editions, **filters)


def found(text, filters=None) -> set[tuple[int, int]]:
    matches, total = search.search(text, filters or everything(), limit=100)
    assert total == len(matches)
    return {(m.source, m.object_id) for m in matches}


def segment_key(witness, sid="p1") -> tuple[int, int]:
    return (search.SEGMENT, witness.segments.get(sid=sid).pk)


@pytest.fixture
def french(document):
    return add_witness(
        document,
        "fr",
        "fr",
        [
            "La négociation avec Moscou continue.",
            "Le secrétaire d'État a reçu Hervé Alphand.",
        ],
        role=WitnessRole.ORIGINAL,
    )


@pytest.fixture
def english(document):
    return add_witness(
        document,
        "wilson",
        "en",
        ["The negotiations with Moscow go on.", "Khrushchev answered the next day."],
        translator="Garret J. Martin",
    )


def test_english_words_are_found_by_their_other_forms(english):
    assert segment_key(english) in found("negotiation")
    assert segment_key(english) in found("NEGOTIATIONS")
    assert segment_key(english, "p2") in found("answer")


def test_french_words_are_found_by_their_other_forms(french):
    assert segment_key(french) in found("négociations")
    assert segment_key(french) in found("negociation")


def test_accents_do_not_matter(french, document):
    assert segment_key(french, "p2") in found("Herve")
    assert segment_key(french, "p2") in found("secretaire d'etat")
    # The document's author is metadata: found accent-free too.
    assert (search.DOCUMENT, document.pk) in found("Herve Alphand")


def test_the_oe_and_ae_ligatures_match_their_opened_spellings_both_ways(document):
    # French prints cœur and sœur with the ligature; keyboards type coeur: either finds both.
    french = add_witness(
        document,
        "fr",
        "fr",
        ["Il avait le cœur serré.", "Sa soeur et son ex-æquo.", "Le cœur de la sœur."],
        role=WitnessRole.ORIGINAL,
    )
    for typed in ("cœur", "coeur", "CŒUR"):
        assert found(typed) == {segment_key(french, "p1"), segment_key(french, "p3")}, typed
    assert found("sœur") == {segment_key(french, "p2"), segment_key(french, "p3")}
    assert found('"cœur de la soeur"') == {segment_key(french, "p3")}
    assert found("coeur -sœur") == {segment_key(french, "p1")}
    assert segment_key(french, "p2") in found("aequo")


def test_a_word_not_in_the_text_finds_nothing(french, english):
    assert found("quarantaine") == set()
    assert found("") == set()
    assert found("-negotiation") == set()  # only what to leave out: nothing is asked


def test_phrases_alternatives_and_exclusions(english, french):
    assert found('"next day"') == {segment_key(english, "p2")}
    assert found('"day next"') == set()
    assert found("Khrushchev OR quarantaine") == {segment_key(english, "p2")}
    assert segment_key(english) not in found("Moscow -negotiations")


def test_metadata_is_searched_reference_numbers_and_dates(document):
    document.date = datetime.date(1962, 10, 26)
    document.summary = "Rusk briefs the three ambassadors."
    document.save()
    key = (search.DOCUMENT, document.pk)
    assert key in found("5983")
    assert key in found("26 October 1962")
    assert key in found("octobre 1962")
    assert key in found("ambassador")


def test_filters_language_role_translator_edition_and_dates(edition, document, french, english):
    other = Edition.objects.create(title="Berlin", slug="berlin")
    later = Document.objects.create(
        edition=other, slug="later", title="Later", date=datetime.date(1963, 6, 1)
    )
    document.date = datetime.date(1962, 10, 26)
    document.save()
    berlin = add_witness(later, "en", "en", ["Moscow again."], translator="Someone")
    moscow = {segment_key(french), segment_key(english), segment_key(berlin)}
    assert found("Moscou Moscow") == set()  # both words are needed
    assert found("Moscow OR Moscou") == moscow
    assert found("Moscow OR Moscou", everything(language="fr")) == {segment_key(french)}
    originals = everything(role=WitnessRole.ORIGINAL)
    assert found("Moscow OR Moscou", originals) == {segment_key(french)}
    by_martin = everything(translator="Garret J. Martin")
    assert found("Moscow OR Moscou", by_martin) == {segment_key(english)}
    assert found("Moscow OR Moscou", everything(other)) == {segment_key(berlin)}
    since_1963 = everything(date_from=datetime.date(1963, 1, 1))
    assert found("Moscow OR Moscou", since_1963) == {segment_key(berlin)}
    until_1962 = everything(date_to=datetime.date(1962, 12, 31))
    assert found("Moscow OR Moscou", until_1962) == moscow - {segment_key(berlin)}
    # Witness filters leave metadata out: it belongs to no witness.
    assert (search.DOCUMENT, document.pk) not in found("Alphand", everything(language="en"))


def test_an_edited_segment_is_found_by_its_new_words_only(english):
    segment = english.segments.get(sid="p1")
    segment.text = "The blockade of Cuba was lifted."
    segment.save()
    assert segment_key(english) in found("blockade")
    assert segment_key(english) not in found("negotiations")


def test_the_index_follows_queryset_updates_bulk_creation_and_deletion(english):
    Segment.objects.filter(witness=english, sid="p1").update(text="A quarantine was declared.")
    assert segment_key(english) in found("quarantine")
    assert segment_key(english) not in found("negotiations")
    Segment.objects.bulk_create(
        [Segment(witness=english, sid="p9", position=9, text="Embargo on arms shipments.")]
    )
    assert segment_key(english, "p9") in found("embargo")
    pk = english.segments.get(sid="p2").pk
    Segment.objects.filter(pk=pk).delete()
    assert (search.SEGMENT, pk) not in found("Khrushchev")
    english.document.delete()
    assert found("quarantine OR embargo") == set()


def test_edited_metadata_is_found_by_its_new_words(document):
    Document.objects.filter(pk=document.pk).update(recipient="Dean Rusk")
    assert (search.DOCUMENT, document.pk) in found("Rusk")
    Document.objects.filter(pk=document.pk).update(recipient="Maurice Dejean")
    assert (search.DOCUMENT, document.pk) not in found("Rusk")
    assert (search.DOCUMENT, document.pk) in found("Dejean")


def test_a_witness_whose_language_changes_is_stemmed_in_its_new_language(document):
    witness = add_witness(document, "x", "de", ["Les négociations"])
    assert segment_key(witness) not in found("négociation", everything(language="de"))
    witness.language = "fr"
    witness.save()
    assert segment_key(witness) in found("négociation", everything(language="fr"))


def test_snippets_mark_the_hits_and_escape_the_text(english):
    Segment.objects.filter(witness=english, sid="p1").update(
        text='The <script>alert("x")</script> negotiations & talks.'
    )
    (match,), _total = search.search("negotiation", everything())
    html = search.marked_html(match.snippet)
    # PostgreSQL's headline drops what looks like a tag; FTS5's snippet keeps it, escaped.
    assert "<script>" not in html and "</script>" not in html
    assert "&amp; talks" in html
    assert "<mark>negotiations</mark>" in html
    marked = f"<b>x</b>{search.MARK_START}y{search.MARK_END}"
    assert search.marked_html(marked) == "&lt;b&gt;x&lt;/b&gt;<mark>y</mark>"


def test_ranking_puts_the_denser_match_first(document):
    witness = add_witness(
        document,
        "rank",
        "en",
        ["Cuba is an island.", "Cuba, Cuba and again Cuba: the Cuban crisis in Cuba."],
    )
    matches, _total = search.search("Cuba", everything())
    assert matches[0].object_id == witness.segments.get(sid="p2").pk


def test_the_triggers_are_put_back_when_a_migration_drops_them(english):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("DROP TRIGGER wb_search_segment_update")
        else:
            cursor.execute("DROP TRIGGER wb_search_segment_update ON editions_segment")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")  # as migrate does
    assert search.install() == []  # nothing missing any more
    Segment.objects.filter(witness=english, sid="p1").update(text="Quarantine.")
    assert segment_key(english) in found("quarantine")


def test_the_query_parser_reads_websearch_syntax():
    clauses = search.parse_query('Cuba "Soviet bases" OR missiles -Berlin')
    assert [(c.words, c.negated, c.or_next) for c in clauses] == [
        (["Cuba"], False, False),
        (["Soviet", "bases"], False, True),
        (["missiles"], False, False),
        (["Berlin"], True, False),
    ]
    assert search.fts5_query(clauses) == (
        '("cuba" AND ("soviet bases" OR "missiles")) NOT "berlin"'
    )
    # FTS5 syntax typed by a user is only words.
    assert search.fts5_query(search.parse_query('NEAR(a b) "x" * ^c')) == (
        '"near a" AND "b" AND "x" AND "c"'
    )


def test_the_light_french_stemmer_keeps_a_prefix():
    assert search.french_prefix("négociations") == "negociation"
    assert search.french_prefix("soulignée") == "soulign"
    assert search.french_prefix("chevaux") == "cheva"  # cheval, chevaux
    assert search.fts5_query(search.parse_query("négociations mer"), prefix=True) == (
        '"negociation"* AND "mer"'
    )


# --- Pages and permissions -------------------------------------------------------------------


def test_an_outsider_never_sees_a_private_editions_text(client_as, document, french, english):
    private = ["answered the next day", "négociation avec Moscou", document.title]
    for query in ("Khrushchev", "négociation", "Alphand", "5983"):
        page = client_as("outsider").get(reverse("editions:search"), {"q": query})
        assert page.status_code == 200
        assert "0 results" in page.text
        assert not any(text in page.text for text in private)
    reader = client_as("reader").get(reverse("editions:search"), {"q": "Khrushchev"})
    assert "1 result" in reader.text and "answered the next day" in reader.text


def test_an_outsider_cannot_ask_for_a_private_edition_by_its_slug(client_as, english):
    page = client_as("outsider").get(
        reverse("editions:search"), {"q": "Khrushchev", "edition": "test-edition"}
    )
    assert "answered the next day" not in page.text
    assert "Select a valid choice" in page.text


def test_a_public_edition_is_searched_by_everyone(client_as, edition, english):
    edition.is_public = True
    edition.save()
    page = client_as("outsider").get(reverse("editions:search"), {"q": "Khrushchev"})
    assert "answered the next day" in page.text


def test_search_requires_signing_in(client, english):
    page = client.get(reverse("editions:search"), {"q": "Khrushchev"})
    assert page.status_code == 302


def test_results_link_to_the_paragraph_and_paginate(client_as, document):
    texts = [f"Paragraph {n} about the blockade." for n in range(1, 26)]
    witness = add_witness(document, "many", "en", texts)
    client = client_as("reader")
    first = client.get(reverse("editions:search"), {"q": "blockade"})
    assert "25 results" in first.text
    assert first.text.count('class="hit"') == 20
    assert f'href="{document.get_absolute_url()}?at=many-p' in first.text  # the row's page
    assert "page=2" in first.text
    second = client.get(reverse("editions:search"), {"q": "blockade", "page": "2"})
    assert second.text.count('class="hit"') == 5
    assert witness.segments.count() == 25
    beyond = client.get(reverse("editions:search"), {"q": "blockade", "page": "99"})
    assert beyond.text.count('class="hit"') == 5  # the last page


def test_metadata_results_link_to_the_metadata(client_as, document):
    page = client_as("reader").get(reverse("editions:search"), {"q": "5983"})
    assert f'href="{document.get_absolute_url()}#metadata"' in page.text
    assert "document metadata" in page.text


def test_htmx_search_answers_with_the_results_fragment(client_as, english):
    page = client_as("reader").get(
        reverse("editions:search"), {"q": "Khrushchev"}, HTTP_HX_REQUEST="true"
    )
    assert page.text.lstrip().startswith('<section id="search-results"')
    assert "<html" not in page.text
    assert "<mark>Khrushchev</mark>" in page.text


def test_the_search_page_offers_live_search_and_the_header_a_search_box(client_as, english):
    page = client_as("reader").get(reverse("editions:search"))
    assert 'hx-trigger="input changed delay:300ms, search"' in page.text
    home = client_as("reader").get(reverse("editions:edition_list"))
    assert 'role="search"' in home.text and 'name="q"' in home.text


def test_a_reversed_date_range_is_refused(client_as, english):
    page = client_as("reader").get(
        reverse("editions:search"),
        {"q": "Khrushchev", "date_from": "1963-01-01", "date_to": "1962-01-01"},
    )
    assert "The first date comes after the second." in page.text
    assert "answered the next day" not in page.text


def test_an_outsider_finds_what_is_in_their_own_edition_only(client_as, english):
    from django.contrib.auth import get_user_model

    own = Edition.objects.create(title="Mine", slug="mine")
    outsider = get_user_model().objects.get(username="outsider")
    Membership.objects.create(edition=own, user=outsider, role=Role.OWNER)
    mine = Document.objects.create(edition=own, slug="m", title="Mine")
    add_witness(mine, "en", "en", ["Khrushchev in my own edition."])
    page = client_as("outsider").get(reverse("editions:search"), {"q": "Khrushchev"})
    assert "1 result" in page.text
    assert "in my own edition" in page.text
    assert "answered the next day" not in page.text


@pytest.mark.django_db(transaction=True)
def test_a_migration_that_rebuilds_the_tables_neither_fails_nor_leaves_the_index_stale(document):
    """SQLite alters a table by copying it: its triggers go, and any trigger naming it breaks
    the copy's renaming. Ours name no other table, and come back after the migration."""
    english = add_witness(document, "wilson", "en", ["The negotiations go on."])
    annotation = annotate(english, "negotiations", "Talks.", username="owner")
    changes = []
    fields = (Witness, "label"), (Segment, "label"), (Document, "place"), (Annotation, "motivation")
    for model, name in fields:
        old = model._meta.get_field(name)
        new = old.clone()
        new.set_attributes_from_name(name)
        new.max_length = old.max_length + 1
        changes.append((model, old, new))
    try:
        with connection.schema_editor() as editor:
            for model, old, new in changes:
                editor.alter_field(model, old, new)
        search.install()  # what the post_migrate signal does
        Segment.objects.filter(witness=english).update(text="The blockade goes on.")
        assert segment_key(english) in found("blockade")
        assert segment_key(english) not in found("negotiations")
        Document.objects.filter(pk=document.pk).update(place="Washington")
        assert (search.DOCUMENT, document.pk) in found("Washington")
        Annotation.objects.filter(pk=annotation.pk).update(body="Parleys.")
        assert found("parleys") == {note_key(annotation)}
        AnnotationTarget.objects.filter(annotation=annotation).update(quote="blockade")
        assert quote_key(annotation) in found("blockade")
    finally:
        with connection.schema_editor() as editor:
            for model, old, new in reversed(changes):
                editor.alter_field(model, new, old)
        search.install()


@pytest.mark.parametrize(
    "text",
    [
        '"',
        "'",
        "\\",
        "*",
        "-",
        "OR",
        "or or",
        '"unclosed',
        "(",
        "NEAR(x",
        "a:b",
        "%_",
        "🙂",
        "é" * 200,
    ],
)
def test_odd_input_is_read_as_words_and_never_an_error(english, text):
    matches, total = search.search(text, everything())
    assert total == len(matches)
    lines, _total = search.stemmed_candidates(text, everything(language="en"), limit=10)
    assert isinstance(lines, list)


# --- Annotations: their notes and the passages they quote ---------------------------------------


def user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def annotate(witness, quote, body, sid="p1", username="annotator", **kwargs):
    segment = witness.segments.get(sid=sid)
    start = segment.text.index(quote)
    return create_annotation(
        user=user(username),
        document=witness.document,
        spans=[Span(segment, start, start + len(quote))],
        body=body,
        **kwargs,
    )


def note_key(annotation) -> tuple[int, int]:
    return (search.ANNOTATION, annotation.pk)


def quote_key(annotation) -> tuple[int, int]:
    return (search.ANNOTATION_QUOTE, annotation.targets.get().pk)


def category(edition, slug):
    ensure_categories(edition)
    return Category.objects.get(edition=edition, slug=slug)


@pytest.fixture
def khrushchev_note(english):
    return annotate(
        english,
        "answered the next day",
        "Nikita **Khrushchev**'s second letter, broadcast by Radio Moscow.",
        sid="p2",
        category=category(english.document.edition, "historical-context"),
    )


def test_an_annotations_note_and_its_quote_are_found(english, khrushchev_note):
    assert note_key(khrushchev_note) in found("broadcast")
    assert note_key(khrushchev_note) in found("letters")  # stemmed, like any English text
    assert found("radio") == {note_key(khrushchev_note)}
    assert found('"the next day"') == {segment_key(english, "p2"), quote_key(khrushchev_note)}
    assert found("Khrushchev") == {segment_key(english, "p2"), note_key(khrushchev_note)}


def test_a_french_note_is_found_by_its_other_forms_and_a_french_quote_in_french(french):
    annotation = annotate(
        french, "La négociation", "Les négociations de New York, menées par U Thant."
    )
    assert note_key(annotation) in found("négociation")
    assert note_key(annotation) in found("negociations")
    assert quote_key(annotation) in found("négociations")
    assert quote_key(annotation) in found("negociation", everything(language="fr"))
    assert quote_key(annotation) not in found("negociation", everything(language="en"))


def test_witness_filters_reach_a_note_through_the_witnesses_it_annotates(
    english, french, khrushchev_note
):
    by_martin = everything(translator="Garret J. Martin")
    assert note_key(khrushchev_note) in found("broadcast", by_martin)
    assert note_key(khrushchev_note) in found("broadcast", everything(language="en"))
    assert found("broadcast", everything(language="fr")) == set()
    assert found("broadcast", everything(role=WitnessRole.ORIGINAL)) == set()


def test_the_category_filter_keeps_that_categorys_annotations_only(
    edition, english, khrushchev_note
):
    other = annotate(
        english,
        "negotiations with Moscow",
        "Khrushchev is not named here.",
        category=category(edition, "mistranslation"),
    )
    context = everything(category_ids=[category(edition, "historical-context").pk])
    assert found("Khrushchev", context) == {note_key(khrushchev_note)}
    assert found('"next day"', context) == {quote_key(khrushchev_note)}
    mistranslations = everything(category_ids=[category(edition, "mistranslation").pk])
    assert found("Khrushchev OR Moscow", mistranslations) == {note_key(other), quote_key(other)}
    assert found("Khrushchev", everything(category_ids=[])) == set()


def test_the_index_follows_an_annotations_edits_and_its_deletion(english, khrushchev_note):
    update_annotation(
        khrushchev_note,
        khrushchev_note.version,
        body="The Kremlin's answer.",
        category=None,
        tags=[],
        visibility=Visibility.EDITION,
    )
    assert note_key(khrushchev_note) in found("Kremlin")
    assert note_key(khrushchev_note) not in found("broadcast")
    Annotation.objects.filter(pk=khrushchev_note.pk).update(body="A quarantine.")
    assert note_key(khrushchev_note) in found("quarantine")
    target = khrushchev_note.targets.get()
    delete_annotation(khrushchev_note)
    assert found("quarantine") == set()
    assert (search.ANNOTATION_QUOTE, target.pk) not in found('"next day"')


def test_a_reanchored_or_reattached_target_is_found_by_its_new_quote(
    english, french, khrushchev_note
):
    segment = english.segments.get(sid="p2")
    segment.text = "Khrushchev answered the nextt day."  # within the anchoring's tolerance
    segment.save()
    assert reanchor_segment(segment) == (1, 0)
    assert quote_key(khrushchev_note) in found("nextt")
    target = khrushchev_note.targets.get()
    moscou = french.segments.get(sid="p1")
    reattach(target, Span(moscou, 3, 14))  # "négociation", in the French original
    assert quote_key(khrushchev_note) not in found("nextt")
    assert quote_key(khrushchev_note) in found("négociations", everything(language="fr"))
    AnnotationTarget.objects.filter(pk=target.pk).delete()
    assert quote_key_gone(target) not in found("négociation")


def quote_key_gone(target) -> tuple[int, int]:
    return (search.ANNOTATION_QUOTE, target.pk)


def test_a_quote_follows_its_witnesss_language(document):
    witness = add_witness(document, "x", "de", ["Les négociations"])
    annotation = annotate(witness, "Les négociations", "?")
    assert quote_key(annotation) not in found("négociation", everything(language="de"))
    witness.language = "fr"
    witness.save()
    assert quote_key(annotation) in found("négociation", everything(language="fr"))


def test_a_private_annotation_is_found_by_its_author_only(edition, english):
    annotation = annotate(
        english, "answered the next day", "My own Khrushchev hunch.", sid="p2", visibility="private"
    )
    mine = {note_key(annotation), quote_key(annotation)}
    author = everything(user_id=user("annotator").pk)
    assert mine <= found("hunch OR next", author)
    for someone in ("editor", "owner", "outsider"):
        assert found("hunch OR next", everything(user_id=user(someone).pk)).isdisjoint(mine)
    assert found("hunch OR next").isdisjoint(mine)  # nobody in particular
    # Made visible to the edition, everyone in it finds it at once.
    Annotation.objects.filter(pk=annotation.pk).update(visibility=Visibility.EDITION)
    assert mine <= found("hunch OR next", everything(user_id=user("editor").pk))


def test_nobody_finds_the_annotations_of_an_edition_they_cannot_read(client_as, edition, english):
    annotate(english, "answered the next day", "Khrushchev's hunch.", sid="p2")
    annotate(english, "negotiations", "A private hunch.", visibility="private")
    Membership.objects.filter(edition=edition, user=user("annotator")).delete()
    for username in ("annotator", "outsider"):
        page = client_as(username).get(reverse("editions:search"), {"q": "hunch OR negotiations"})
        assert "0 results" in page.text
        assert "hunch" not in page.text.split('id="search-results"')[1]


def test_search_pages_hide_another_members_private_annotation(client_as, english):
    annotate(
        english, "next day", "A private hunch about Radio Moscow.", sid="p2", visibility="private"
    )
    author = client_as("annotator").get(reverse("editions:search"), {"q": "hunch"})
    assert "1 result" in author.text and "about Radio Moscow" in author.text
    for someone in ("editor", "reader", "outsider"):
        page = client_as(someone).get(reverse("editions:search"), {"q": "hunch"})
        assert "0 results" in page.text and "Radio Moscow" not in page.text
        quote = client_as(someone).get(reverse("editions:search"), {"q": '"next day"'})
        assert "annotation-hit" not in quote.text


def test_an_annotation_hit_shows_category_author_status_quote_and_links_to_its_thread(
    client_as, english, khrushchev_note
):
    page = client_as("reader").get(reverse("editions:search"), {"q": "broadcast"})
    assert "1 result" in page.text
    hit = page.text.split('class="hit annotation-hit"')[1].split("</li>")[0]
    segment = english.segments.get(sid="p2")
    page_url = english.document.get_absolute_url()
    url = f"{page_url}?at={segment.anchor_id}&amp;annotation={khrushchev_note.pk}#wilson-p2"
    assert f'href="{url}"' in hit
    assert 'class="chip" data-anno="#b7950b"' in hit and "historical context" in hit
    assert "annotation by annotator" in hit and "open" in hit
    assert '<blockquote class="hit-quote" lang="en">answered the next day</blockquote>' in hit
    assert "<mark>broadcast</mark>" in hit
    quoted = client_as("reader").get(reverse("editions:search"), {"q": '"next day"'})
    assert "answered the <mark>next</mark> <mark>day</mark>" in quoted.text or (
        "answered the <mark>next day</mark>" in quoted.text
    )
    assert "Radio Moscow" in quoted.text  # the note, under the quote that matched


def test_an_annotation_hit_escapes_the_note_and_the_quote(client_as, english):
    Segment.objects.filter(witness=english, sid="p1").update(text="The <b>negotiations</b> go on.")
    annotate(english, "<b>negotiations</b>", "<script>alert('x')</script> **blockade**")
    page = client_as("reader").get(reverse("editions:search"), {"q": "blockade OR negotiations"})
    results = page.text.split('id="search-results"')[1]
    assert "<script>" not in results and "<b>" not in results
    assert "&lt;b&gt;<mark>negotiations</mark>" in results or "<mark>negotiations</mark>" in results


def test_the_category_filter_is_offered_and_applied_by_the_search_page(
    client_as, edition, english, khrushchev_note
):
    annotate(english, "negotiations", "Khrushchev again.", category=category(edition, "omission"))
    client = client_as("reader")
    page = client.get(reverse("editions:search"))
    assert '<option value="historical-context">historical context</option>' in page.text
    chosen = client.get(
        reverse("editions:search"), {"q": "Khrushchev", "category": "historical-context"}
    )
    assert "1 result" in chosen.text and "Radio Moscow" in chosen.text
    outsider = client_as("outsider").get(
        reverse("editions:search"), {"q": "Khrushchev", "category": "historical-context"}
    )
    assert "Select a valid choice" in outsider.text


def test_an_existing_database_gets_the_annotation_triggers_and_its_annotations_indexed(
    english, khrushchev_note
):
    with connection.cursor() as cursor:
        for name in ("annotation", "annotation_quote"):
            for event in ("insert", "update", "delete"):
                trigger = f"wb_search_{name}_{event}"
                if connection.vendor == "sqlite":
                    cursor.execute(f"DROP TRIGGER {trigger}")
                else:
                    table = (
                        "editions_annotation"
                        if name == "annotation"
                        else ("editions_annotationtarget")
                    )
                    cursor.execute(f"DROP TRIGGER {trigger} ON {table}")
        if connection.vendor == "sqlite":
            for table in (search.STEM_TABLE, search.WORD_TABLE):
                cursor.execute(f"DELETE FROM {table} WHERE (rowid & 7) IN (3, 4)")
        else:
            cursor.execute(f"DELETE FROM {search.ENTRY_TABLE} WHERE source IN (3, 4)")
    assert found("broadcast") == set()
    assert search.install() == ["annotation", "annotation_quote"]  # as the next migrate does
    assert note_key(khrushchev_note) in found("broadcast")
    assert quote_key(khrushchev_note) in found('"next day"')


def test_a_note_hit_shows_the_notes_words_without_its_markdown(client_as, khrushchev_note):
    page = client_as("reader").get(reverse("editions:search"), {"q": "Radio"})
    hit = page.text.split('class="hit annotation-hit"')[1].split("</li>")[0]
    assert "Nikita Khrushchev" in hit and "**" not in hit
    assert "<mark>Radio</mark> Moscow" in hit


def test_an_annotation_matching_in_its_note_and_its_quote_is_one_hit_with_both_marked(
    client_as, english
):
    annotate(english, "negotiations", "The *negotiations* in New York.")
    page = client_as("reader").get(reverse("editions:search"), {"q": "negotiations"})
    hits = page.text.split('class="hit annotation-hit"')
    assert len(hits) == 2, "one annotation hit"
    hit = hits[1].split("</li>")[0]
    assert '<blockquote class="hit-quote" lang="en"><mark>negotiations</mark></blockquote>' in hit
    assert "The <mark>negotiations</mark> in New York." in hit


def test_plain_text_keeps_the_words_and_drops_the_markup():
    from editions.markup import plain_text

    assert plain_text("**Khrushchev** & [U Thant](https://un.org)\n\n- one\n- two") == (
        "Khrushchev & U Thant one two"
    )
    assert plain_text("<script>x</script>") == "<script>x</script>"  # words, escaped when shown


# --- Search equivalents: one name, several spellings --------------------------------------


KHRUSHCHEV = [("Khrushchev", "Khrouchtchev", "Khrushchov")]


def test_equivalence_groups_are_lines_of_comma_separated_spellings():
    text = "Khrushchev, Khrouchtchev , Khrushchov\n\nNATO,OTAN,NATO\nlonely\n"
    assert search.equivalence_groups(text) == [
        ("Khrushchev", "Khrouchtchev", "Khrushchov"),
        ("NATO", "OTAN"),
    ]


def clause_texts(query, groups) -> list[tuple[str, bool, bool]]:
    return [
        (c.phrase, c.negated, c.or_next) for c in search.expand(search.parse_query(query), groups)
    ]


def test_a_spelling_becomes_an_alternative_of_every_spelling_of_its_group():
    assert clause_texts("khrouchtchev Cuba", KHRUSHCHEV) == [
        ("Khrushchev", False, True),
        ("Khrouchtchev", False, True),
        ("Khrushchov", False, False),
        ("Cuba", False, False),
    ]
    # Inside an OR chain, the chain goes on after the group.
    assert [t for t, _n, o in clause_texts("Castro OR Khrushchev OR Kennedy", KHRUSHCHEV)] == [
        "Castro",
        "Khrushchev",
        "Khrouchtchev",
        "Khrushchov",
        "Kennedy",
    ]
    assert all(o for _t, _n, o in clause_texts("Castro OR Khrushchev OR Kennedy", KHRUSHCHEV)[:-1])


def test_leaving_a_spelling_out_leaves_out_every_spelling():
    assert clause_texts("Cuba -Khrushchev", KHRUSHCHEV) == [
        ("Cuba", False, False),
        ("Khrushchev", True, False),
        ("Khrouchtchev", True, False),
        ("Khrushchov", True, False),
    ]


def test_a_phrase_spelling_matches_a_quoted_phrase_and_not_a_word_of_it():
    groups = [("Soviet Union", "URSS", "Union soviétique")]
    assert [t for t, _n, _o in clause_texts('"soviet union"', groups)] == [
        "Soviet Union",
        "URSS",
        "Union soviétique",
    ]
    assert [t for t, _n, _o in clause_texts("union", groups)] == ["union"]


def test_a_search_finds_every_spelling_of_an_equivalence_group(document, english):
    french = add_witness(document, "fr", "fr", ["Khrouchtchev a répondu le lendemain."])
    plain = everything()
    assert found("Khrushchev", plain) == {segment_key(english, "p2")}
    with_groups = everything(equivalents=KHRUSHCHEV)
    assert found("Khrushchev", with_groups) == {segment_key(english, "p2"), segment_key(french)}
    assert found("Khrouchtchev", with_groups) == found("Khrushchev", with_groups)
    assert found("answered -Khrouchtchev", with_groups) == set()


def test_or_joins_the_words_on_either_side_on_both_databases(english):
    # A web search's reading: Moscow AND (go OR day) AND Khrushchev... finds nothing here,
    # where PostgreSQL's websearch_to_tsquery would read (Moscow & go) | (day & Khrushchev).
    assert found("Moscow go OR day Khrushchev") == set()
    assert found("Khrushchev next OR Moscow") == {segment_key(english, "p2")}


def test_the_search_page_uses_the_editions_equivalents_and_names_the_spellings_it_added(
    client_as, edition, document, english
):
    add_witness(document, "fr", "fr", ["Khrouchtchev a répondu le lendemain."])
    Edition.objects.filter(pk=edition.pk).update(
        search_equivalents="Khrushchev, Khrouchtchev\nNATO, OTAN"
    )
    page = client_as("reader").get(reverse("editions:search"), {"q": "Khrushchev"})
    assert "2 results" in page.text
    assert "Also searched, as the edition's search equivalents say: Khrouchtchev" in page.text
    assert "<mark>Khrouchtchev</mark>" in page.text
    plain = client_as("reader").get(reverse("editions:search"), {"q": "Moscow"})
    assert "Also searched" not in plain.text
