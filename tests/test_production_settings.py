"""Production settings: a secret key that is secret, HTTPS everywhere, `check --deploy` clean.

Settings are read once per process, so each case starts a fresh `manage.py` with its own
environment.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_DEFAULT = "change-me-before-deploying"


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        # Not the test run's own switches: the browser tests allow the ORM in an event loop,
        # which `check --deploy` rightly refuses.
        if not key.startswith(
            ("SECURE_", "SECRET_KEY", "PRODUCTION", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
        )
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def a_secret_key() -> str:
    return secrets.token_urlsafe(50)


@pytest.mark.slow
def test_check_deploy_is_clean_in_production_with_a_secret_key():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", PRODUCTION="1", SECRET_KEY=a_secret_key()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    "key",
    [COMPOSE_DEFAULT, "insecure-demo-key-never-use-in-production", "django-insecure-" + "x" * 50],
)
def test_production_refuses_to_start_with_a_published_key(key):
    result = manage("check", PRODUCTION="1", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY is a published example key" in result.stderr


@pytest.mark.parametrize("key", ["", "short-key", "a" * 60])
def test_production_refuses_to_start_with_an_empty_short_or_monotonous_key(key):
    result = manage("check", PRODUCTION="1", SECRET_KEY=key)
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_turns_on_https_redirect_hsts_and_secure_cookies_by_default():
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_HSTS_SECONDS > 0, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    )
    result = manage("shell", "--no-imports", "-c", code, PRODUCTION="1", SECRET_KEY=a_secret_key())
    assert result.stdout.split() == [
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "True",
        "True",
    ], result.stderr


def test_the_demo_serves_plain_http_without_hsts():
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS)"
    )
    assert manage("shell", "--no-imports", "-c", code).stdout.split() == ["False", "0"]


def test_docker_compose_carries_no_usable_default_key():
    compose = (REPO_ROOT / "docker-compose.yml").read_text()
    assert COMPOSE_DEFAULT not in compose
    assert "SECRET_KEY: ${SECRET_KEY:?" in compose
