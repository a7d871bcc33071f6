"""The page of search and concordance results (``PageForm``)."""

import pytest

from editions.forms import PageForm
from editions.limits import MAX_ID


def test_the_page_asked_for_is_read():
    assert PageForm({"page": "3"}).values() == {"page": 3}
    assert PageForm({"page": str(MAX_ID)}).values() == {"page": MAX_ID}


def test_without_a_page_the_first_is_shown():
    assert PageForm({}).values() == {"page": 1}


@pytest.mark.parametrize(
    "raw", ["0", "-2", "abc", "1.5", "٣", str(MAX_ID + 1), str(10**25), "1\x00", "9" * 5000]
)
def test_a_page_that_cannot_be_is_the_first(raw):
    assert PageForm({"page": raw}).values() == {"page": 1}
