"""The annotated edition as PDF: the HTML edition laid out on pages by WeasyPrint.

The print stylesheet of that HTML does the page work: A4 (landscape when more than two
texts face each other), running heads with the edition and the document's title, page
numbers, the table's heading row repeated on each page.

The PDF is tagged for accessibility as PDF/UA-1 (WeasyPrint's variant): a structure tree
that screen readers follow (headings, tables, lists, notes), the document's title shown as
the window title, and its language (the page's; each text's own language on its column).
"""

import logging

from weasyprint import HTML

from .data import DocumentExport
from .html import render_html

# WeasyPrint warns about every CSS property it does not know; the screen rules are not its.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def export_pdf(export: DocumentExport) -> bytes:
    return HTML(string=render_html(export)).write_pdf(pdf_variant="pdf/ua-1")
