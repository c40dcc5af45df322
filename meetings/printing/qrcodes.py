"""QR codes for letters: one matrix per link, shared by the PDF and the DOCX of a run.

meetings.qr chooses the best of eight mask patterns for each code (about 5 ms a code): fine
for one code on a screen, too slow for 5,000 letters. Any mask is valid for every decoder, so
letters use a fixed one (several times faster), and cache matrix and PNG per link.
"""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

QUIET_ZONE = 2  # modules of white around the code, as meetings.qr
_CACHE = 65536  # a large conference's letters, printed as PDF and DOCX


@lru_cache(maxsize=_CACHE)
def letter_matrix(data: str) -> tuple[tuple[bool, ...], ...]:
    """The modules of the code (True = dark), quiet zone included."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=QUIET_ZONE, mask_pattern=2)
    code.add_data(data)
    code.make(fit=True)
    return tuple(tuple(row) for row in code.get_matrix())


@lru_cache(maxsize=_CACHE)
def letter_png(data: str, scale: int = 4) -> bytes:
    """A 1-bit PNG of the code, `scale` pixels per module."""
    matrix = letter_matrix(data)
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).convert("1")
    image = image.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def dark_runs(matrix: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules: few rectangles."""
    runs = []
    for y, row in enumerate(matrix):
        x, width = 0, len(row)
        while x < width:
            if row[x]:
                start = x
                while x < width and row[x]:
                    x += 1
                runs.append((y, start, x - start))
            else:
                x += 1
    return runs
