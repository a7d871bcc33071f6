"""The concordance's regular expressions: matched by RE2 in linear time, refused in words
when RE2 cannot run them, and the literal text a match needs (which the database checks
first)."""

from __future__ import annotations

import re

import re2
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

MAX_PATTERN = 100


class PatternError(ValueError):
    """A regular expression the concordance refuses, with the reason in words."""


# Errors RE2 gives for Perl features it leaves out on purpose (they need backtracking).
_LOOKBEHIND = gettext_lazy("Look-behind such as (?<=…) or (?<!…) is not supported.")
_LOOKAHEAD = gettext_lazy("Look-ahead such as (?=…) or (?!…) is not supported.")
_BACKREFERENCES = gettext_lazy("Back-references such as \\1 are not supported.")
_UNSUPPORTED = (
    ("(?<=", _LOOKBEHIND),
    ("(?<!", _LOOKBEHIND),
    ("(?=", _LOOKAHEAD),
    ("(?!", _LOOKAHEAD),
    ("(?P=", _BACKREFERENCES),
)
_BACKREFERENCE = re.compile(r"(?<!\\)(?:\\\\)*\\[1-9]")


def _re2_options() -> re2.Options:
    options = re2.Options()
    options.case_sensitive = False
    options.log_errors = False  # a refused pattern is the user's, answered in words
    options.max_mem = settings.CONCORDANCE_REGEX_MAX_MEMORY
    return options


def check_pattern(pattern: str) -> re2._Regexp:
    """The pattern compiled by RE2 (case-insensitive), or a ``PatternError`` saying why not.

    RE2 matches in time linear in the text, whatever the pattern: no pattern can keep the
    server busy, so none is refused for its shape, only for what RE2 does not do.
    """
    if not pattern.strip():
        raise PatternError(_("Type a word, a phrase or a pattern."))
    if len(pattern) > MAX_PATTERN:
        raise PatternError(
            _("The pattern is %(length)s characters long; the limit is %(max)s.")
            % {"length": len(pattern), "max": MAX_PATTERN}
        )
    if _BACKREFERENCE.search(pattern):
        raise PatternError(str(_BACKREFERENCES))
    for opening, reason in _UNSUPPORTED:
        if opening in pattern:
            raise PatternError(str(reason))
    try:
        compiled = re2.compile(pattern, _re2_options())
    except re2.error as exc:
        detail = exc.args[0].decode() if exc.args and isinstance(exc.args[0], bytes) else exc
        raise PatternError(
            _("This is not a valid regular expression: %(error)s.") % {"error": detail}
        ) from exc
    if compiled.fullmatch("") or compiled.search(" ") and not compiled.search(" ").group():
        raise PatternError(_("The pattern matches the empty string, hence everywhere."))
    return compiled


def exact_pattern(text: str) -> re.Pattern[str]:
    """The words as typed, whole, case-insensitive, any white space between them."""
    words = text.split()
    return re.compile(r"(?<!\w)" + r"\s+".join(map(re.escape, words)) + r"(?!\w)", re.IGNORECASE)


_ASCII_RUN = re.compile(r"[A-Za-z0-9]{3,}")
_CLASS_ESCAPES = frozenset("dDwWsSbBpPAzQECx0123456789")


def required_literals(pattern: re2._Regexp | re.Pattern[str]) -> list[str]:
    """ASCII strings (3 characters or more) that every match contains.

    Only the pattern's top level counts: literals inside a group, an alternative or an
    optional part may be missing from a match. ASCII only, because the databases' LIKE folds
    the case of ASCII letters only, and the pattern ignores case. When in doubt, a character
    ends the run: a missing literal only makes the reading longer, never wrong.
    """
    runs = _top_level_runs(pattern.pattern)
    found = [m.group() for run in runs for m in _ASCII_RUN.finditer(run)]
    return sorted(set(found), key=lambda run: (-len(run), run))[:3]


def _top_level_runs(text: str) -> list[str]:
    """The runs of plain characters outside groups and classes (none if | splits the top)."""
    runs, current, i, depth = [], [], 0, 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            escaped = text[i + 1]
            i += 2
            if depth == 0 and escaped not in _CLASS_ESCAPES and not escaped.isalnum():
                current.append(escaped)
                continue
            char = ""  # a class or an assertion: the run ends
        elif char == "[":
            i = _class_end(text, i)
            char = ""
        elif char == "{":
            i = text.find("}", i) + 1 or len(text)
        else:
            i += 1
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif char == "|" and depth == 0:
            return []
        elif depth == 0 and char and char not in ".^$":
            if char in "?*{":  # the character before may be absent
                current = current[:-1]
            elif char != "+":
                current.append(char)
                continue
        if depth == 0 or char == "(":
            runs.append("".join(current))
            current = []
    runs.append("".join(current))
    return runs


def _class_end(text: str, start: int) -> int:
    """The index just past the character class opening at ``start``."""
    i = start + 1
    if i < len(text) and text[i] == "^":
        i += 1
    if i < len(text) and text[i] == "]":
        i += 1
    while i < len(text) and text[i] != "]":
        i += 2 if text[i] == "\\" else 1
    return i + 1
