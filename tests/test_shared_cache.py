"""The cache web processes share: Redis when REDIS_URL is set, local memory otherwise."""

import os
import socket
import subprocess
import sys
import uuid

import pytest

from tests.conftest import REPO_ROOT, need_or_skip

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def _cache_setting(**env) -> str:
    """The cache backend that the settings choose in a fresh process with this environment."""
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"} | env
    environment["DJANGO_SETTINGS_MODULE"] = "workbench.settings"
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    return _python(code, environment)


def _python(code: str, environment: dict[str, str]) -> str:
    """What ``code`` prints in a fresh Python process with this environment."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


def test_without_redis_url_each_process_keeps_a_local_memory_cache():
    assert _cache_setting() == "django.core.cache.backends.locmem.LocMemCache"


def test_an_empty_redis_url_counts_as_unset():
    assert _cache_setting(REDIS_URL="") == "django.core.cache.backends.locmem.LocMemCache"


def test_with_redis_url_the_processes_share_djangos_redis_cache():
    assert _cache_setting(REDIS_URL=REDIS_URL) == "django.core.cache.backends.redis.RedisCache"


@pytest.mark.slow
def test_what_one_process_caches_in_redis_another_process_reads():
    need_or_skip(_redis_reachable(), "no Redis at 127.0.0.1:6379 (apt-get install redis-server)")
    prefix = f"test-{uuid.uuid4().hex}"
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "workbench.settings",
        "REDIS_URL": REDIS_URL,
        "CACHE_KEY_PREFIX": prefix,
    }

    def run(code: str) -> str:
        setup = "import django; django.setup(); from django.core.cache import cache; "
        return _python(setup + code, environment)

    run("cache.set('row', 'rendered once', 60)")
    try:
        assert run("print(cache.get('row'))") == "rendered once"
        run("cache.delete('row')")
        assert run("print(cache.get('row', 'gone'))") == "gone"
    finally:
        run("cache.delete('row')")


@pytest.mark.parametrize("service", ["redis", "web", "web2", "worker"])
def test_docker_compose_runs_redis_and_two_web_instances(service):
    compose = (REPO_ROOT / "docker-compose.yml").read_text()
    assert f"\n  {service}:\n" in compose
    assert "REDIS_URL: redis://redis:6379/0" in compose
