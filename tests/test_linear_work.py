"""The work of an import and of a comparison grows linearly with the document: counted in
steps (lines of the workbench's code executed, tests/steps.py), never timed."""

import pytest
from django.core.cache import cache
from django.test import Client
from lxml import etree

from benchmarks.management.commands.compare_benchmark import _build, _texts
from editions.importers.tmx import parse_tmx

from .steps import count_steps, growth

# Slow: documents of growing size, counted step by step: about two minutes.
pytestmark = pytest.mark.slow

# Twice the size may cost a little more than twice the steps (a log factor, caches warming
# up); a quadratic step costs four times: the bound tells one from the other.
LINEAR = 1.35


def tmx(units: int) -> etree._Element:
    body = "".join(
        f'<tu><tuv xml:lang="fr"><seg>Le paragraphe {n} parle de la quarantaine.</seg></tuv>'
        f'<tuv xml:lang="en"><seg>Paragraph {n} speaks of the quarantine.</seg></tuv></tu>'
        for n in range(units)
    )
    return etree.fromstring(f'<tmx version="1.4"><header srclang="fr"/><body>{body}</body></tmx>')


def test_reading_a_translation_memory_grows_linearly_with_its_units():
    def parse(units):
        root = tmx(units)
        return lambda: parse_tmx(root, "memory.tmx")

    assert growth(parse, 400, 1600) < LINEAR


def comparison_page(rows: int):
    french, english, _source = _texts(rows)
    urls, user = _build(french, english)
    client = Client()
    client.force_login(user)
    url = next(iter(urls.values()))

    def fetch():
        cache.clear()
        assert client.get(url).status_code == 200

    return fetch


@pytest.mark.django_db
def test_comparing_two_translations_grows_linearly_with_the_document(django_db_blocker):
    sizes = {}

    def make(rows):
        from django.db import transaction

        with transaction.atomic():
            fetch = comparison_page(rows)
            sizes[rows] = sum(count_steps(fetch).values())
            transaction.set_rollback(True)
        return lambda: None

    make(60)
    make(240)
    assert (sizes[240] / sizes[60]) / 4 < LINEAR, sizes
