"""Seating PDFs (ReportLab, the fonts meetings/printing embeds): the chart, one landscape page
per plan, and the name plates, one folded tent card per page.

Only meetings.printing.fonts is imported from the printing package: its writers import the
seat labels for the letters, and a wider import would close a cycle."""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A3, A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from meetings.printing.fonts import BOLD, ITALIC, REGULAR, register_fonts
from meetings.seating.chart import Cell, Chart, Plate

PAPERS = {"A4": A4, "A3": A3}
MARGIN = 10 * mm


def fit_size(text: str, font: str, largest: float, width: float, smallest: float = 3) -> float:
    """The largest size up to `largest` at which `text` fits on one line of `width`."""
    natural = stringWidth(text, font, largest)
    if natural <= width:
        return largest
    return max(smallest, largest * width / natural)


def name_lines(name: str, font: str, largest: float, width: float) -> tuple[list[str], float]:
    """A name on one line, or on two (family and middle names / given name) when one line
    would have to shrink below 70 %."""
    size = fit_size(name, font, largest, width)
    words = name.split()
    if size >= largest * 0.7 or len(words) < 2:
        return [name], size
    lines = split_name(name)
    return lines, min(fit_size(line, font, largest, width) for line in lines)


def split_name(name: str) -> list[str]:
    """Family and middle names over the given name: how a seat card shows a name."""
    words = name.split()
    return [" ".join(words[:-1]), words[-1]] if len(words) > 1 else [name]


def uniform_size(names: list[str], font: str, largest: float, width: float) -> float:
    """One size for every seat of a chart: the largest at which each name fits on two lines."""
    widest = max(
        (stringWidth(line, font, 1) for name in names for line in split_name(name)), default=1
    )
    return max(3.0, min(largest, width / widest))


def _canvas(buffer: io.BytesIO, pagesize, title: str) -> Canvas:
    register_fonts()
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=1, initialFontName=REGULAR)
    canvas.setTitle(title)
    canvas.setCreator("meetings")
    return canvas


# --- The chart ------------------------------------------------------------------------------


def _seat_name(cell: Cell) -> str:
    return cell.name + ("*" if cell.substitute else "")


class _ChartPage:
    """One plan on one page: heading, stage with the presidium, the hall, the legend."""

    def __init__(self, canvas: Canvas, chart: Chart, pagesize) -> None:
        self.c, self.chart = canvas, chart
        self.w, self.h = pagesize
        self.scale = self.w / landscape(A4)[0]  # A3 draws everything larger
        self.left, self.right = MARGIN, self.w - MARGIN

    def draw(self) -> None:
        y = self._heading(self.h - MARGIN)
        y = self._stage(y - 3 * mm)
        legend_h = self._legend_height()
        self._hall(y - 4 * mm, MARGIN + legend_h + 2 * mm)
        self._legend(MARGIN + legend_h)

    def _heading(self, top: float) -> float:
        c, s = self.c, self.scale
        width = self.right - self.left
        c.setFont(BOLD, 15 * s)
        y = top - 15 * s
        c.drawCentredString(self.w / 2, y, "SƠ ĐỒ CHỖ NGỒI")
        for line in simpleSplit(self.chart.conference_title, ITALIC, 10 * s, width * 0.85)[:2]:
            y -= 12 * s
            c.setFont(ITALIC, 10 * s)
            c.drawCentredString(self.w / 2, y, line)
        y -= 12 * s
        c.setFont(REGULAR, 10 * s)
        c.drawCentredString(self.w / 2, y, f"{self.chart.place} · {self.chart.when}")
        return y - 2 * mm

    def _stage(self, top: float) -> float:
        c, chart, s = self.c, self.chart, self.scale
        width = (self.right - self.left) * 0.7
        x0 = (self.w - width) / 2
        places = len(chart.presidium)
        seat_h = 13 * mm * s if places else 0
        height = 9 * mm * s + seat_h
        c.setFillColor(HexColor("#F1E7D0"))
        c.setStrokeGray(0.4)
        c.roundRect(x0, top - height, width, height, 3 * mm, stroke=1, fill=1)
        c.setFillGray(0)
        c.setFont(BOLD, 10 * s)
        label = "SÂN KHẤU" + (" — ĐOÀN CHỦ TỊCH" if places else "")
        c.drawCentredString(self.w / 2, top - 6 * mm * s, label)
        if places:
            seat_w = min(32 * mm * s, (width - 6 * mm) / places)
            start = (self.w - seat_w * places) / 2
            size = self._name_size(chart.presidium, seat_w, seat_h - 2 * mm)
            for i, cell in enumerate(chart.presidium):
                self._seat(
                    cell, start + i * seat_w, top - height + 1.5 * mm, seat_w, seat_h - 2 * mm, size
                )
        return top - height

    def _geometry(self, top: float, bottom: float) -> tuple[float, float, float, float]:
        """Seat width and height, aisle width and the x of seat 1's column."""
        chart = self.chart
        label_w = 7 * mm * self.scale
        aisles = sum(1 for col in chart.columns() if col is None)
        width = self.right - self.left - 2 * label_w
        seat_w = width / (chart.seats + 0.6 * aisles)
        seat_h = min((top - bottom) / (chart.rows + 0.6), seat_w * 0.8, 16 * mm * self.scale)
        x0 = self.left + label_w + (width - seat_w * (chart.seats + 0.6 * aisles)) / 2
        return seat_w, seat_h, seat_w * 0.6, x0

    def _hall(self, top: float, bottom: float) -> None:
        c, chart = self.c, self.chart
        seat_w, seat_h, aisle_w, x0 = self._geometry(top, bottom)
        xs: dict[int, float] = {}
        x = x0
        for col in chart.columns():
            if col is None:
                x += aisle_w
                continue
            xs[col] = x
            x += seat_w
        number_size = min(7.0, seat_w * 0.45)
        c.setFont(REGULAR, number_size)
        c.setFillGray(0.35)
        for seat, sx in xs.items():
            c.drawCentredString(sx + seat_w / 2, top - number_size, str(seat))
        top -= number_size + 1
        label_size = min(10.0, seat_h * 0.6) * self.scale
        size = self._name_size([c for row in chart.grid for c in row], seat_w, seat_h)
        for r, row in enumerate(chart.grid):
            y = top - (r + 1) * seat_h
            c.setFillGray(0)
            c.setFont(BOLD, label_size)
            label = chart.row_label(r + 1)
            c.drawCentredString(x0 - 3.5 * mm, y + seat_h / 2 - label_size / 3, label)
            c.drawCentredString(x + 3.5 * mm, y + seat_h / 2 - label_size / 3, label)
            for seat, cell in enumerate(row, start=1):
                self._seat(cell, xs[seat], y, seat_w, seat_h, size)
        self._blocks(xs, top, seat_w, seat_h)

    def _blocks(self, xs: dict[int, float], top: float, seat_w: float, seat_h: float) -> None:
        c = self.c
        c.saveState()
        c.setDash(3, 2)
        c.setStrokeColor(HexColor("#8B1A1A"))
        c.setLineWidth(0.9)
        for block in self.chart.blocks:
            last = min(block.last_seat, self.chart.seats)
            x = xs[block.first_seat] - 0.3
            w = xs[last] + seat_w - xs[block.first_seat] + 0.6
            y = top - block.last_row * seat_h - 0.3
            c.rect(x, y, w, (block.last_row - block.first_row + 1) * seat_h + 0.6)
        c.restoreState()

    def _seat(self, cell: Cell | None, x: float, y: float, w: float, h: float, size: float):
        c = self.c
        pad = min(0.8 * mm, w * 0.06)
        c.setLineWidth(0.4)
        c.setStrokeGray(0.55)
        c.setFillColor(HexColor(cell.colour) if cell else HexColor("#FFFFFF"))
        c.rect(x + pad, y + pad, w - 2 * pad, h - 2 * pad, stroke=1, fill=1)
        if cell is None:
            return
        c.setFillGray(0)
        lines = split_name(_seat_name(cell))
        c.setFont(BOLD, size)
        lead = size * 1.1
        base = y + h / 2 + (len(lines) - 1) * lead / 2 - size * 0.35
        for i, line in enumerate(lines):
            c.drawCentredString(x + w / 2, base - i * lead, line)

    def _name_size(self, cells: list[Cell | None], w: float, h: float) -> float:
        names = [_seat_name(c) for c in cells if c is not None]
        return uniform_size(names, BOLD, min(9.0 * self.scale, h * 0.36), w - 1.8 * mm)

    def _legend_rows(self) -> list[tuple[str, str | None]]:
        """(text, colour) per legend item: categories, then blocks and the counts."""
        chart = self.chart
        items: list[tuple[str, str | None]] = [
            (f"{e.name} ({e.count})", e.colour) for e in chart.legend
        ]
        blocks = dict.fromkeys(f"Khối dành riêng: {b.legend}" for b in chart.blocks)
        items += [(text, None) for text in blocks]
        summary = f"Đã xếp {chart.seated}/{chart.capacity} ghế"
        if chart.unseated:
            summary += f"; {chart.unseated} đại biểu chưa có chỗ"
        items.append((summary + ". (*) dự thay.", None))
        return items

    def _legend_height(self) -> float:
        per_line = 2 if self.scale < 1.2 else 3
        return (len(self._legend_rows()) + per_line - 1) // per_line * 5 * mm * self.scale

    def _legend(self, top: float) -> None:
        c, s = self.c, self.scale
        per_line = 2 if s < 1.2 else 3
        col_w = (self.right - self.left) / per_line
        size = 8.5 * s
        for i, (text, colour) in enumerate(self._legend_rows()):
            x = self.left + (i % per_line) * col_w
            y = top - (i // per_line + 1) * 5 * mm * s + 1.5 * mm
            if colour:
                c.setFillColor(HexColor(colour))
                c.setStrokeGray(0.5)
                c.rect(x, y - 0.5, 6 * mm * s, size, stroke=1, fill=1)
                x += 7.5 * mm * s
            c.setFillGray(0)
            c.setFont(REGULAR, size)
            text = simpleSplit(text, REGULAR, size, col_w - 10 * mm * s)[0]
            c.drawString(x, y, text)


def chart_pdf(charts: list[Chart], paper: str = "A4") -> bytes:
    """The seating chart: one landscape page per plan (main hall, then bridge points)."""
    pagesize = landscape(PAPERS[paper])
    buffer = io.BytesIO()
    c = _canvas(buffer, pagesize, "Sơ đồ chỗ ngồi")
    for chart in charts:
        _ChartPage(c, chart, pagesize).draw()
        c.showPage()
    if not charts:
        c.showPage()
    c.save()
    return buffer.getvalue()


# --- Name plates ------------------------------------------------------------------------


PLATE_PAGE = A4  # portrait, folded across the middle into a tent: two faces of 210 × 148 mm


def _plate_face(c: Canvas, plate: Plate, width: float, height: float) -> None:
    """One face, drawn in a box of width × height at the origin, text upright."""
    inner = width - 24 * mm
    lines, size = name_lines(plate.name.upper(), BOLD, 58, inner)
    position = simpleSplit(plate.position, REGULAR, 22, inner)[:2] if plate.position else []
    block = len(lines) * size * 1.1 + len(position) * 26 + (6 * mm if position else 0)
    y = height / 2 + block / 2 - size * 0.8
    c.setFont(BOLD, size)
    for line in lines:
        c.drawCentredString(width / 2, y, line)
        y -= size * 1.1
    y -= 6 * mm
    c.setFont(REGULAR, 22)
    for line in position:
        c.drawCentredString(width / 2, y, line)
        y -= 26


def plates_pdf(plates: list[Plate]) -> bytes:
    """Folded tent cards: the bottom half reads upright, the top half is turned over so the
    card reads from both sides once folded along the dashed line."""
    width, height = PLATE_PAGE
    half = height / 2
    buffer = io.BytesIO()
    c = _canvas(buffer, PLATE_PAGE, "Biển tên")
    for plate in plates:
        _plate_face(c, plate, width, half)
        c.saveState()
        c.translate(width, height)
        c.rotate(180)
        _plate_face(c, plate, width, half)
        c.restoreState()
        c.saveState()
        c.setDash(4, 4)
        c.setStrokeGray(0.6)
        c.line(8 * mm, half, width - 8 * mm, half)
        c.restoreState()
        c.showPage()
    if not plates:
        c.showPage()
    c.save()
    return buffer.getvalue()
