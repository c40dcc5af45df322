"""QR codes for letters: one matrix per link, shared by the PDF and the DOCX of a run.

meetings.qr (the pure-Python `qrcode`) takes milliseconds a code: fine for one code on a
screen, the bulk of the time of 30,000 letters. Letters are encoded by zxing-cpp (C++, the
decoder the tests already use; about 0.2 ms a code, best mask included), at the same error
correction level (M) and quiet zone, and matrix and PNG are cached per link.
"""

from __future__ import annotations

import io
import re
from functools import lru_cache

import zxingcpp
from PIL import Image

QUIET_ZONE = 2  # modules of white around the code, as meetings.qr
_CACHE = 65536  # a large conference's letters, printed as PDF and DOCX


_DARK_RUN = re.compile(b"\x00+")


@lru_cache(maxsize=_CACHE)
def letter_matrix(data: str) -> tuple[bytes, ...]:
    """The modules of the code, a row of bytes each (0 = dark, 255 = light), quiet zone
    included."""
    code = zxingcpp.create_barcode(data, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    view = memoryview(code.to_image(scale=1, add_quiet_zones=False))
    size = view.shape[1]
    pixels = view.tobytes()
    margin = b"\xff" * QUIET_ZONE
    blank = b"\xff" * (size + 2 * QUIET_ZONE)
    rows = [margin + pixels[y * size : (y + 1) * size] + margin for y in range(size)]
    return (blank,) * QUIET_ZONE + tuple(rows) + (blank,) * QUIET_ZONE


@lru_cache(maxsize=_CACHE)
def letter_png(data: str, scale: int = 4) -> bytes:
    """A 1-bit PNG of the code, `scale` pixels per module."""
    matrix = letter_matrix(data)
    size = len(matrix)
    image = Image.frombytes("L", (size, size), b"".join(matrix)).convert("1")
    image = image.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def dark_runs(matrix: tuple[bytes, ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of each horizontal run of dark modules: few rectangles."""
    return [
        (y, run.start(), run.end() - run.start())
        for y, row in enumerate(matrix)
        for run in _DARK_RUN.finditer(row)
    ]
