"""The annotated edition as PDF: the HTML edition laid out on pages by WeasyPrint.

The print stylesheet of that HTML does the page work: A4 (landscape when more than two
texts face each other), running heads with the edition and the document's title, page
numbers, the table's heading row repeated on each page.
"""

import logging

from weasyprint import HTML

from .data import DocumentExport
from .html import render_html

# WeasyPrint warns about every CSS property it does not know; the screen rules are not its.
logging.getLogger("weasyprint").setLevel(logging.ERROR)


def export_pdf(export: DocumentExport) -> bytes:
    return HTML(string=render_html(export)).write_pdf()
