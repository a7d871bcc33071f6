"""A word diff (``diffing.word_diff``) as HTML: every text escaped, changes in ``<del>`` and
``<ins>``, for the comparison page."""

from collections.abc import Iterable, Sequence
from typing import Literal, overload

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .diffing import DiffOp


@overload
def diff_html(
    ops: Iterable[DiffOp], mode: Literal["side"] = "side", *, hide_minor: bool = False
) -> tuple[SafeString, SafeString]: ...


@overload
def diff_html(
    ops: Iterable[DiffOp], mode: Literal["inline"], *, hide_minor: bool = False
) -> SafeString: ...


def diff_html(
    ops: Iterable[DiffOp], mode: str = "side", *, hide_minor: bool = False
) -> tuple[SafeString, SafeString] | SafeString:
    """Render a diff as HTML, every text escaped, changes in ``<del>`` and ``<ins>``.

    ``side`` returns ``(left, right)``: ``a`` with its deletions and ``b`` with its
    insertions. ``inline`` returns ``b``'s reading with deletions and insertions interleaved.
    Minor changes get ``class="minor"``; with ``hide_minor`` they are shown as plain text
    instead (the deleted side dropped in ``inline`` mode). The result is marked safe for
    Django templates; whitespace is kept as is (style it with ``white-space: pre-wrap``).
    """
    ops = list(ops)
    if mode == "side":
        return _render(ops, "a", hide_minor), _render(ops, "b", hide_minor)
    if mode == "inline":
        return _render(ops, "inline", hide_minor)
    raise ValueError(f"unknown render mode {mode!r}: expected 'side' or 'inline'")


def _render(ops: Sequence[DiffOp], view: str, hide_minor: bool) -> SafeString:
    parts: list[str] = []
    for op in ops:
        if op.op == "equal":
            parts.append(escape(op.text_in_a if view == "a" else op.text))
            continue
        shown_here = (op.op == "delete" and view != "b") or (op.op == "insert" and view != "a")
        if not shown_here:
            continue
        if op.minor and hide_minor:
            # Hidden minor changes read as b's text in the inline view.
            if view != "inline" or op.op == "insert":
                parts.append(escape(op.text))
            continue
        tag = "del" if op.op == "delete" else "ins"
        attributes = ' class="minor"' if op.minor else ""
        parts.append(f"<{tag}{attributes}>{escape(op.text)}</{tag}>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece escaped above
