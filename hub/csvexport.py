"""CSV downloads for spreadsheets: the open-data export and the audit trail.

Spreadsheet programs read a BOM as "this is UTF-8" (accents), and run a cell that begins
with =, +, -, @, tab or CR as a formula ("CSV injection"): such a cell gets a leading
apostrophe, which makes it plain text there. A spreadsheet set to another separator (`;` in
French, German and Swiss Excel, or a tab) splits a cell at it and may ignore the quotes
around it, so a formula start after a `,`, `;`, tab or line break inside a cell (blanks and
quotes in between) gets an apostrophe too; and every data cell is quoted.

A download that fails half-way (the database connection lost) cannot change its status any
more: it ends with a line that says so, left open (a quote never closed, no line break), so
a strict CSV reader refuses the file and a spreadsheet shows the line last. A complete file
ends with a line break after its last row.
"""

from __future__ import annotations

import csv
import io
import logging
import re
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

logger = logging.getLogger("hub.csvexport")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A formula start at the beginning of the cell or after a separator a spreadsheet may split
# on (blanks and quotes in between): the apostrophe goes right before it.
_FORMULA_AFTER_SEPARATOR = re.compile(r"((?:^|[,;\t\r\n])[\s\"]*)(?=[=+\-@])")
CHUNK_CHARS = 16384


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows instead of running, however it splits it."""
    if cell.startswith(FORMULA_STARTS):
        cell = f"'{cell}"
    return _FORMULA_AFTER_SEPARATOR.sub(r"\1'", cell)


def failed_export_line(rows_written: int) -> str:
    """The last line of a download that failed half-way: an open quote, no line break."""
    return (
        f'"# EXPORT FAILED after {rows_written} rows: the server lost its database connection '
        "or hit an error. This file is incomplete; download it again."
    )


def csv_download(header: list[str], rows: Iterable[Iterable[object]], filename: str) -> Response:
    """Stream `rows` as a UTF-8 CSV file: BOM and header at once (an empty file is still
    readable), then every cell quoted and formula-safe, in chunks."""

    def chunks() -> Iterator[str]:
        buffer = io.StringIO()
        buffer.write("\ufeff")
        csv.writer(buffer).writerow(header)  # names of ours: no quotes needed
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
        written = 0
        try:
            for row in rows:
                writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
                written += 1
                if buffer.tell() > CHUNK_CHARS:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
        except Exception:  # the status line has gone: say so in the file itself
            logger.exception("The download of %s failed after %d rows", filename, written)
            buffer.write(failed_export_line(written))
        yield buffer.getvalue()

    return Response(
        stream_with_context(chunks()),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
