"""CSV downloads for spreadsheets: the open-data export and the audit trail.

Spreadsheet programs read a BOM as "this is UTF-8" (accents), and run a cell that begins
with =, +, -, @, tab or CR as a formula ("CSV injection"): such a cell gets a leading
apostrophe, which makes it plain text there.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_CHARS = 16384


def spreadsheet_safe(cell: str) -> str:
    """The cell as text a spreadsheet shows instead of running."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def csv_download(header: list[str], rows: Iterable[Iterable[object]], filename: str) -> Response:
    """Stream `rows` as a UTF-8 CSV file: BOM and header at once (an empty file is still
    readable), then every cell as formula-safe text, in chunks."""

    def chunks() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        buffer.write("\ufeff")
        writer.writerow(header)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        for row in rows:
            writer.writerow([spreadsheet_safe(str(cell)) for cell in row])
            if buffer.tell() > CHUNK_CHARS:
                yield buffer.getvalue()
                buffer.seek(0)
                buffer.truncate()
        yield buffer.getvalue()

    return Response(
        stream_with_context(chunks()),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
