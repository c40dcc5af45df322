"""QR codes for invitations, door displays and letters. Generating one costs milliseconds, so
the same text is encoded once per process."""

from __future__ import annotations

import io
from functools import lru_cache

import qrcode
import qrcode.image.svg
from qrcode.constants import ERROR_CORRECT_M


def _code(data: str) -> qrcode.QRCode:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2)
    code.add_data(data)
    code.make(fit=True)
    return code


@lru_cache(maxsize=4096)
def qr_png(data: str, box_size: int = 8) -> bytes:
    """A PNG of the QR code for `data` (black on white)."""
    code = _code(data)
    code.box_size = box_size
    buffer = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buffer, format="PNG")
    return buffer.getvalue()


@lru_cache(maxsize=4096)
def qr_svg(data: str) -> str:
    """An inline SVG of the QR code for `data`: sharp at any size, on screens and on paper."""
    image = _code(data).make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def qr_matrix(data: str) -> list[list[bool]]:
    """The modules of the code (True = dark), for writers that draw it themselves (PDF)."""
    return _code(data).get_matrix()
