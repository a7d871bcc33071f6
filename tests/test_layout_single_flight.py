"""A book's layout is built by one request at a time: the others wait for it in the cache."""

import pytest
from django.core.cache import cache

from editions import docpage


def counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_the_first_request_builds_caches_and_releases_the_lock():
    build, calls = counting("layout")
    assert docpage.built_once("k", build) == "layout"
    assert calls == [1]
    assert cache.get("k") == "layout"
    assert cache.get("k:building") is None


def test_a_cached_value_is_not_built_again():
    cache.set("k", "cached")
    build, calls = counting("layout")
    assert docpage.built_once("k", build) == "cached"
    assert calls == []


def test_a_request_waits_for_the_one_building_instead_of_building_too(monkeypatch):
    cache.add("k:building", 1)  # another request is building
    monkeypatch.setattr(docpage.time, "sleep", lambda _s: cache.set("k", "theirs"))
    build, calls = counting("mine")
    assert docpage.built_once("k", build) == "theirs"
    assert calls == []
    assert cache.get("k:building") == 1  # the builder's lock is the builder's to release


def test_a_request_builds_itself_when_the_builder_never_delivers(monkeypatch):
    cache.add("k:building", 1)
    monkeypatch.setattr(docpage, "BUILD_WAIT_SECONDS", 0)
    build, calls = counting("mine")
    assert docpage.built_once("k", build) == "mine"
    assert calls == [1]
    assert cache.get("k:building") == 1


def test_a_failed_build_releases_the_lock():
    def failing():
        raise RuntimeError("database gone")

    with pytest.raises(RuntimeError):
        docpage.built_once("k", failing)
    assert cache.get("k:building") is None
