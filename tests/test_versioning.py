"""Optimistic locking: a save based on a version someone else moved on from is refused."""

import pytest

from editions.models import Document
from editions.versioning import StaleVersion, check_current, update_if_current


def test_a_save_moves_the_version_on_and_a_second_save_from_the_same_version_is_refused(document):
    update_if_current(document, 1, title="First")
    with pytest.raises(StaleVersion) as refused:
        update_if_current(document, 1, title="Second")
    assert refused.value.current is document
    stored = Document.objects.get(pk=document.pk)
    assert (stored.title, stored.version) == ("First", 2)


def test_check_current_writes_nothing(document):
    check_current(document, 1)
    with pytest.raises(StaleVersion):
        check_current(document, 2)
    assert Document.objects.get(pk=document.pk).version == 1
