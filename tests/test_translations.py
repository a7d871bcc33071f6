"""The interface ships in English and French: the French catalogue covers every marked string."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import need_or_skip

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "editions"
CATALOGUE = Path("locale/fr/LC_MESSAGES/django.po")


def _gettext_tools() -> bool:
    return all(shutil.which(tool) for tool in ("xgettext", "msgattrib", "msgfmt"))


def _entries(po: Path, *flags: str) -> str:
    """The catalogue's entries that ``msgattrib`` keeps with these flags, header aside."""
    out = subprocess.run(
        ["msgattrib", *flags, "--no-wrap", str(po)], capture_output=True, text=True, check=True
    ).stdout
    return "\n".join(
        block for block in out.split("\n\n") if block.strip() and 'msgid ""\nmsgstr ""' not in block
    )


@pytest.fixture
def fresh_catalogue(tmp_path) -> Path:
    """The app's catalogue brought up to date with the code, in a copy of the app."""
    need_or_skip(
        _gettext_tools(), "gettext's tools (xgettext, msgattrib, msgfmt) are not installed"
    )
    copy = tmp_path / "editions"
    shutil.copytree(APP, copy, ignore=shutil.ignore_patterns("__pycache__", "static"))
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "fr", "--no-obsolete"],
        cwd=copy,
        capture_output=True,
        check=True,
    )
    return copy / CATALOGUE


def test_every_marked_string_has_a_french_translation(fresh_catalogue):
    untranslated = _entries(fresh_catalogue, "--untranslated")
    assert not untranslated, f"untranslated (run makemessages -l fr and translate):\n{untranslated}"
    fuzzy = _entries(fresh_catalogue, "--only-fuzzy")
    assert not fuzzy, f"fuzzy (check the guess, then remove the flag):\n{fuzzy}"


def test_the_compiled_catalogue_is_the_current_one(tmp_path):
    need_or_skip(
        _gettext_tools(), "gettext's tools (xgettext, msgattrib, msgfmt) are not installed"
    )
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(APP / CATALOGUE)], check=True)
    assert compiled.read_bytes() == (APP / CATALOGUE).with_suffix(".mo").read_bytes(), (
        "django.mo is older than django.po: run manage.py compilemessages"
    )
