"""The demo commands and the settings helpers."""

import io
import os
import re
import signal
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from editions.management.commands.load_demo import DEMO_PASSWORD, DEMO_SLUG, DEMO_USER
from editions.models import Document, Edition, FootnoteRef, Membership, Role, Segment, Witness


def _counts() -> tuple[int, ...]:
    models = (Document, Witness, Segment, FootnoteRef, Membership)
    return tuple(model.objects.count() for model in models)


@pytest.mark.django_db
def test_load_demo_imports_both_seeds_with_a_demo_owner_and_is_idempotent(client):
    call_command("load_demo", stdout=io.StringIO())
    first = _counts()
    call_command("load_demo", stdout=io.StringIO())
    assert _counts() == first
    assert Document.objects.filter(edition__slug=DEMO_SLUG).count() == 2
    cuban = FootnoteRef.objects.filter(segment__witness__document__edition__slug=DEMO_SLUG)
    assert cuban.count() == 8  # 1 in the CVCE letter, 7 in the circular
    assert (
        Membership.objects.get(user__username=DEMO_USER, edition__slug=DEMO_SLUG).role == Role.OWNER
    )
    # Through the sign-in page: django-axes checks every sign-in against its request.
    response = client.post("/accounts/login/", {"username": DEMO_USER, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert response.wsgi_request.user.is_authenticated


@pytest.mark.django_db
def test_the_demo_edition_starts_with_search_equivalents_its_owner_may_change():
    call_command("load_demo", stdout=io.StringIO())
    edition = Edition.objects.get(slug=DEMO_SLUG)
    assert "Khrushchev, Khrouchtchev" in edition.search_equivalents
    Edition.objects.filter(pk=edition.pk).update(search_equivalents="")
    call_command("load_demo", stdout=io.StringIO())
    assert Edition.objects.get(pk=edition.pk).search_equivalents == ""  # not put back


@pytest.mark.django_db
def test_the_demo_command_prepares_the_database_and_prints_the_url_and_login():
    out = io.StringIO()
    call_command("demo", "--no-serve", stdout=out)
    assert "http://127.0.0.1:8000/" in out.getvalue()
    assert f"{DEMO_USER} / password: {DEMO_PASSWORD}" in out.getvalue()
    assert Document.objects.filter(edition__slug=DEMO_SLUG).count() == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_stopping_the_demo_with_sigterm_stops_its_worker_too(tmp_path):
    """As `kill`, a service manager or a container stop would: not only Ctrl+C."""
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}"}
    demo = subprocess.Popen(
        [sys.executable, "manage.py", "demo", "--port", str(_free_port())],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = None
    try:
        for line in demo.stdout:
            if found := re.search(r"Background worker started \(process (\d+)\)", line):
                worker = int(found[1])
            if "Uvicorn running" in line:
                break
        assert worker is not None and _alive(worker)
        demo.send_signal(signal.SIGTERM)
        rest = demo.communicate(timeout=60)[0]
    finally:
        if demo.poll() is None:
            demo.kill()
        if worker is not None and _alive(worker):  # left behind: the failure, not the cleanup
            os.kill(worker, signal.SIGKILL)
            pytest.fail("the worker outlived the demo")
    assert "Background worker stopped." in rest
    assert not _alive(worker)


def test_boolean_settings_fail_loudly_on_nonsense(monkeypatch):
    from workbench.settings import env_bool

    monkeypatch.setenv("SOME_FLAG", "perhaps")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG"):
        env_bool("SOME_FLAG", False)


def test_number_settings_read_their_variable_and_fail_loudly_on_nonsense(monkeypatch):
    from workbench.settings import env_float, env_int

    monkeypatch.delenv("SOME_NUMBER", raising=False)
    assert (env_int("SOME_NUMBER", 7), env_float("SOME_NUMBER", 0.5)) == (7, 0.5)
    monkeypatch.setenv("SOME_NUMBER", "3")
    assert (env_int("SOME_NUMBER", 7), env_float("SOME_NUMBER", 0.5)) == (3, 3.0)
    monkeypatch.setenv("SOME_NUMBER", "2.5")
    assert env_float("SOME_NUMBER", 0.5) == 2.5
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be an integer, not '2.5'"):
        env_int("SOME_NUMBER", 7)
    monkeypatch.setenv("SOME_NUMBER", "many")
    with pytest.raises(ImproperlyConfigured, match="SOME_NUMBER must be a number, not 'many'"):
        env_float("SOME_NUMBER", 0.5)


def test_a_production_deployment_needs_its_own_secret_key(monkeypatch):
    from workbench.settings import env_str

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        env_str("SECRET_KEY")


def test_an_empty_variable_counts_as_unset(monkeypatch):
    from workbench.settings import env_str

    monkeypatch.setenv("DATABASE_URL", "")
    assert env_str("DATABASE_URL", "sqlite:///demo.sqlite3") == "sqlite:///demo.sqlite3"
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        env_str("DATABASE_URL")
