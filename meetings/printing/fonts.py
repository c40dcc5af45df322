"""The serif font every PDF embeds: Liberation Serif, shipped in meetings/fonts/.

Times New Roman is what the layouts prescribe but cannot be shipped; Liberation Serif has the
same metrics, covers Vietnamese and is under the SIL Open Font License (meetings/fonts/).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR, BOLD, ITALIC, BOLD_ITALIC = "Serif", "Serif-Bold", "Serif-Italic", "Serif-BoldItalic"
_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}
# What DOCX files name: Word shows Times New Roman; LibreOffice substitutes Liberation Serif.
DOCX_FONT = "Times New Roman"


@cache
def register_fonts() -> None:
    """Register the four faces with ReportLab once per process (subset-embedded when used)."""
    for name, filename in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))
    for bold, italic, name in ((0, 0, REGULAR), (1, 0, BOLD), (0, 1, ITALIC), (1, 1, BOLD_ITALIC)):
        addMapping(REGULAR, bold, italic, name)
