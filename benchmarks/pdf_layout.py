"""How WeasyPrint's time and memory grow with the rows it lays out at once, as a table or as
blocks: what chose the PDF's parts (``editions/exporters/pdf.py``).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/wb_bookpdf_bench \\
        .venv/bin/python benchmarks/pdf_layout.py table 150

Lays out rows 301 on of the Verne book (``manage.py load_book``) alone, in the exported
edition's HTML (``table``), or with its cells as inline blocks (``inline-block``) or floats
(``float``), and prints the time, the pages and the process's peak resident memory. One layout
per process: run it again for each layout and count.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "workbench.settings")

import django  # noqa: E402

django.setup()

from django.template.loader import render_to_string  # noqa: E402
from weasyprint import HTML  # noqa: E402

from editions.exporters.data import load  # noqa: E402
from editions.exporters.html import context  # noqa: E402
from editions.exporters.pdf import TEMPLATE, Part  # noqa: E402
from editions.management.commands.load_book import DOCUMENT, EDITION  # noqa: E402
from editions.models import Document  # noqa: E402

FIRST_ROW = 300
SYNOPSIS = (
    "table.synopsis, table.synopsis tbody {display: block} table.synopsis thead {display: none}"
)
LAYOUTS = {
    "table": "",
    "inline-block": f"{SYNOPSIS} table.synopsis tr {{display: block}} "
    "table.synopsis td {display: inline-block; width: 30%; vertical-align: top}",
    "float": f"{SYNOPSIS} table.synopsis tr {{display: block; clear: both}} "
    "table.synopsis td {display: block; float: left; width: 30%} "
    "table.synopsis tr::after {content: ''; display: block; clear: both}",
}


def peak_mib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def main() -> None:
    layout, count = sys.argv[1], int(sys.argv[2])
    document = Document.objects.get(edition__slug=EDITION, slug=DOCUMENT)
    data = context(load(document, ""))
    part = Part(data["rows"][FIRST_ROW : FIRST_ROW + count], FIRST_ROW)
    html = render_to_string(
        TEMPLATE, {**data, "part": part, "rows": part.rows, "first_row": FIRST_ROW, "notes": []}
    )
    html = html.replace("</head>", f"<style>{LAYOUTS[layout]}</style></head>")
    before = peak_mib()
    started = time.monotonic()
    laid_out = HTML(string=html).render()
    laid_out.write_pdf()
    seconds = time.monotonic() - started
    print(
        f"{layout}, {count} rows: {seconds:.1f} s, {len(laid_out.pages)} pages, "
        f"peak {peak_mib()} MiB ({before} MiB before the layout)"
    )


if __name__ == "__main__":
    main()
