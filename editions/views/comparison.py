"""The comparison page: two witnesses of a document, row by row.

Everything the page shows is chosen by GET parameters (``a``, ``b``: witness slugs; ``mode``;
``punct``, ``space``, ``case``, ``changed``), so every view of a comparison has its own URL;
htmx swaps only the ``#diff`` fragment when a toggle changes.
"""

import math
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ..comparison import (
    SEGMENT_FIELDS,
    CompareOptions,
    PairedRow,
    anchor_rows,
    diff_rows,
    document_similarity,
    pair_rows,
)
from ..docpage import text_signature
from ..forms import ComparisonForm
from ..fragments import cached_fragment, model_state, render_shared
from ..http import AuthenticatedHttpRequest
from ..models import Segment, Witness, WitnessRole
from ..permissions import Abilities, document_with_witnesses
from ..templatetags.comparison_tags import segment_base_url


@require_GET
def compare(request: AuthenticatedHttpRequest, slug: str, doc_slug: str) -> HttpResponse:
    edition, role, document, witnesses = document_with_witnesses(request, slug, doc_slug)
    form = ComparisonForm(request.GET, witnesses=witnesses, default_pair=_default_pair(witnesses))
    if form.unknown_witness():
        raise Http404("No such witness in this document.")
    wanted = form.values()
    a, b, mode, changed_only = wanted["a"], wanted["b"], wanted["mode"], wanted["changed"]
    options = CompareOptions(
        show_punctuation=wanted["punct"],
        show_whitespace=wanted["space"],
        ignore_case=wanted["case"],
    )
    can = Abilities(role)
    compared = a is not None and b is not None and a.pk != b.pk
    # The figures are formatted in the reader's language: part of the key.
    signature = text_signature(document, get_language()) if compared else ""
    # What the request asks for: the whole page, the ``#diff`` section, or more ``#rows``.
    part = wanted["fragment"] if request.htmx else "page"

    params = _view_params(a, b, mode, options, changed_only)

    def render_part() -> str:
        context = {
            "edition": edition,
            "document": document,
            "witnesses": witnesses,
            "a": a,
            "b": b,
            "mode": mode,
            "options": options,
            "changed_only": changed_only,
            "links": _links(params),
            "segment_urls": _segment_urls(edition, document, a, b),
            "can": can,
            **_summary(a, b, options, signature),
        }
        context.update(_window(context, params, wanted))
        return render_shared(f"editions/compare.html#{part}", context)

    # Everything the page shows comes from the texts' state, the witnesses, the parameters as
    # the form read them (not the query string: junk in it makes no new entry) and the
    # reader's abilities: rendered once for all readers alike (no CSRF form in it).
    parts = (
        part,
        signature,
        edition.slug,
        model_state(document),
        [model_state(w) for w in witnesses],
        vars(can),
        params,
        wanted["offset"],
        wanted["row"],
    )
    html = cached_fragment(request, "compare", parts, render_part)
    if request.htmx:
        return HttpResponse(html)
    context = {"edition": edition, "document": document, "body": html}
    return render(request, "editions/compare.html", context)


# Rows sent at once: the first screen, then a page more each time the reader reaches the end.
PAGE_ROWS = 50


def _summary(a: Witness | None, b: Witness | None, options: CompareOptions, signature: str) -> dict:
    """The whole comparison's figures and its rows as segment pks, cached by the texts' state.

    Only the rows sent are diffed or marked per request (``_window``); the summary, which needs
    every row, is computed once per state of the texts and alignments.
    """
    if a is None or b is None or a.pk == b.pk:
        return _comparison(a, b, options, False)
    key = f"comparison:{a.pk}:{b.pk}:{options.key}:{signature}"
    summary = cache.get(key)
    if summary is None:
        found = _comparison(a, b, options, False)
        summary = {k: v for k, v in found.items() if k != "rows"}
        summary["pairs"] = [
            ([s.pk for s in row["pair"].a], [s.pk for s in row["pair"].b])
            for row in found.get("rows", [])
        ]
        summary["changed"] = [row["diff"].changed for row in found.get("rows", []) if "diff" in row]
        cache.set(key, summary, 24 * 3600)
    return summary


def _window(context: dict, params: dict[str, str | int], wanted: dict) -> dict:
    """The page of rows to send (``?offset=``, or ``?row=N``: the page holding row N)."""
    pairs = context.get("pairs")
    if pairs is None or context.get("problem"):
        return {}
    numbers = list(range(1, len(pairs) + 1))
    if wanted["changed"] and context["same_language"]:  # rows keep their numbers
        numbers = [n for n in numbers if context["changed"][n - 1]]
    offset, row = wanted["offset"], wanted["row"]
    if row:
        at = next((i for i, n in enumerate(numbers) if n >= row), 0)
        offset = at // PAGE_ROWS * PAGE_ROWS
    shown = numbers[offset : offset + PAGE_ROWS]
    segments = Segment.objects.only(*SEGMENT_FIELDS).in_bulk(
        [pk for n in shown for side in pairs[n - 1] for pk in side]
    )
    paired = [
        PairedRow(
            [segments[pk] for pk in pairs[n - 1][0]], [segments[pk] for pk in pairs[n - 1][1]]
        )
        for n in shown
    ]
    if context["same_language"]:
        rows = [
            {"number": n, "pair": p, "diff": d, "similarity": similarity_figure(d.similarity)}
            for n, p, d in zip(shown, paired, diff_rows(paired, context["options"]), strict=True)
        ]
    else:
        found = anchor_rows(paired, context["a"].language, context["b"].language)
        rows = [
            {"number": n, "pair": p, "anchors": f}
            for n, p, f in zip(shown, paired, found, strict=True)
        ]
    more = offset + PAGE_ROWS < len(numbers)
    after = offset + PAGE_ROWS
    return {
        "rows": rows,
        "row_count": len(pairs),
        "offset": offset,
        "next_rows_url": _query(params, offset=after, fragment="rows") if more else "",
        "next_page_url": _query(params, offset=after) if more else "",
        "earlier": offset > 0,
        "first_url": _query(params),
    }


def _default_pair(witnesses: list[Witness]) -> tuple[Witness | None, Witness | None]:
    """A revision against what it revises; else two translations in one language; else any two."""
    for witness in witnesses:
        if witness.revision_of is not None:
            return witness.revision_of, witness
    translations = [w for w in witnesses if w.role == WitnessRole.TRANSLATION]
    for n, first in enumerate(translations):
        for second in translations[n + 1 :]:
            if first.language == second.language:
                return first, second
    if len(witnesses) >= 2:
        return witnesses[0], witnesses[1]
    return None, None


def _query(params: Mapping[str, object], **changes: str | int) -> str:
    return f"?{urlencode({**params, **changes})}"


def _view_params(
    a, b, mode: str, options: CompareOptions, changed_only: bool
) -> dict[str, str | int]:
    """The parameters of the view shown, as its links carry them (none without two witnesses)."""
    if a is None or b is None:
        return {}
    return {
        "a": a.slug,
        "b": b.slug,
        "mode": mode,
        "punct": int(options.show_punctuation),
        "space": int(options.show_whitespace),
        "case": int(options.ignore_case),
        "changed": int(changed_only),
    }


def _links(params: dict[str, str | int]) -> dict[str, str]:
    """The URL of each view one click away: the other mode, each toggle flipped, a and b swapped."""
    if not params:
        return {}
    flipped = {name: int(not params[name]) for name in ("punct", "space", "case", "changed")}
    return {
        "side": _query(params, mode="side"),
        "inline": _query(params, mode="inline"),
        **{name: _query(params, **{name: value}) for name, value in flipped.items()},
        "swap": _query(params, a=params["b"], b=params["a"]),
    }


def _segment_urls(edition, document, a, b) -> dict[str, str]:
    """Where each side's segment pages start: one reverse a page, not one a row."""
    return {
        side: segment_base_url(edition, document, witness)
        for side, witness in (("a", a), ("b", b))
        if witness is not None
    }


def _comparison(
    a: Witness | None, b: Witness | None, options: CompareOptions, changed_only: bool
) -> dict:
    if a is None or b is None:
        return {"problem": _("This document needs two texts to compare.")}
    if a.pk == b.pk:
        return {"problem": _("Choose two different texts.")}
    pairing = pair_rows(a, b)
    if pairing.problem:
        return {"problem": pairing.problem}
    same_language = a.language == b.language
    if not same_language:  # their shared anchors: for the rows sent (``_window``)
        rows: list[dict[str, Any]] = [
            {"number": n, "pair": p} for n, p in enumerate(pairing.rows, start=1)
        ]
        return {"rows": rows, "same_language": False, "pairing": pairing.method}
    diffs = diff_rows(pairing.rows, options)
    rows = [
        {"number": n, "pair": p, "diff": d, "similarity": similarity_figure(d.similarity)}
        for n, (p, d) in enumerate(zip(pairing.rows, diffs, strict=True), start=1)
    ]
    overall = document_similarity(diffs)
    return {
        # Rows keep their numbers when only the changed ones are shown.
        "rows": [row for row in rows if row["diff"].changed] if changed_only else rows,
        "row_count": len(rows),
        "same_language": True,
        "pairing": pairing.method,
        "similarity": similarity_figure(overall),
        "changed_rows": sum(1 for d in diffs if d.changed),
    }


def similarity_figure(value: float) -> str:
    """Two decimals, rounded down: a small difference must not read as 1.00, identical.

    Formatted here rather than by ``floatformat``, which costs more than a cached diff.
    """
    return number_format(math.floor(value * 100) / 100, 2)
