"""A video for Chromium's fake camera: white frames, then a QR code held in view.

Chromium reads it with --use-file-for-fake-video-capture=FILE.y4m and plays it in a loop.
Y4M is a header line, then per frame "FRAME\\n" and the raw Y, U and V planes (4:2:0).
"""

from __future__ import annotations

from pathlib import Path

import qrcode
from PIL import Image

WIDTH, HEIGHT, FPS = 480, 360, 15


def _frame(image: Image.Image) -> bytes:
    luma = image.convert("L").tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    return b"FRAME\n" + luma + chroma + chroma


def qr_video(path: Path, texts: list[str], blank_seconds: float = 1.0, qr_seconds: float = 2.0):
    """Write a Y4M video: for each text, `blank_seconds` of white, then `qr_seconds` of its QR
    code. Returns the path."""
    blank = Image.new("L", (WIDTH, HEIGHT), 255)
    side = int(HEIGHT * 0.8)
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F{FPS}:1 Ip A1:1 C420jpeg\n".encode()
    with open(path, "wb") as out:
        out.write(header)
        for text in texts:
            code = qrcode.make(text, border=2).get_image().convert("L")
            shown = blank.copy()
            offset = ((WIDTH - side) // 2, (HEIGHT - side) // 2)
            shown.paste(code.resize((side, side), Image.NEAREST), offset)
            out.write(_frame(blank) * int(blank_seconds * FPS))
            out.write(_frame(shown) * int(qr_seconds * FPS))
    return path
