"""The shot list: every shot field as a CSV for spreadsheets, and the most useful columns as a
printable PDF table.

The CSV opens cleanly in Excel (UTF-8 with a byte-order mark, CRLF line ends) and is safe to
open: a cell a spreadsheet would read as a formula (it starts with = + - @, a tab or a carriage
return) gets a leading apostrophe, as OWASP's "CSV injection" advice says. A "-3" typed as a
pan therefore shows as '-3: text, never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.template.loader import render_to_string

from .boards import html_to_pdf

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

# The columns the printed table keeps (of the selector's header), with their share of the
# page width in percent: a landscape page holds about twelve readable columns.
PRINTED_COLUMNS = {
    "Scene": 5,
    "Shot": 5,
    "Status": 6,
    "Subject": 9,
    "Action": 16,
    "Dialogue": 13,
    "Shot size": 7,
    "Angle": 6,
    "Lens (mm)": 5,
    "Duration (s)": 6,
    "Camera move": 10,
    "Circled take": 5,
    "Notes": 9,
}
# A printed cell holds at most this much (the CSV keeps everything): so a row always fits on
# one page, and the header row can repeat above it.
PRINTED_CELL_CHARS = 700


def safe_cell(value: object) -> str:
    """The cell as text a spreadsheet shows and never runs."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)  # a number, even a negative one, is never a formula
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def shot_list_csv(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    """UTF-8 with BOM, CRLF, every cell formula-safe; line breaks inside a cell stay inside
    its quotes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([safe_cell(name) for name in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def shot_list_pdf(
    header: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    project_name: str,
    scene_title: str = "",
) -> bytes:
    """A landscape table of the shot list's most useful columns; the header row repeats on
    every page and long text wraps inside its cell."""
    header = list(header)
    kept = [
        (header.index(name), name, width)
        for name, width in PRINTED_COLUMNS.items()
        if name in header
    ]
    if not kept:  # a header of other names: its first twelve columns, equally wide
        kept = [(at, name, 100 / min(len(header), 12)) for at, name in enumerate(header[:12])]
    total = sum(width for _, _, width in kept) or 1
    columns = [{"name": name, "width": f"{100 * width / total:.2f}"} for _, name, width in kept]
    table = [[_cell(row, at) for at, _, _ in kept] for row in rows]
    html = render_to_string(
        "deliver/shotlist.html",
        {
            "project_name": project_name,
            "scene_title": scene_title,
            "columns": columns,
            "rows": table,
            "count": len(table),
            "cell_chars": PRINTED_CELL_CHARS,
        },
    )
    return html_to_pdf(html)


def _cell(row: Sequence[object], at: int) -> str:
    value = row[at] if at < len(row) else ""
    return "" if value is None else str(value)
