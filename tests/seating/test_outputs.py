"""The chart and plates read back (pypdf) and rendered (pdftoppm); the seat on the letters;
the CLI commands. On the demo's seed conference, whose plan the demo builds."""

from __future__ import annotations

import io
import subprocess

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader
from sqlalchemy import select

from meetings.demo import SEED_TITLE, load_demo
from meetings.extensions import db
from meetings.models import PRESIDIUM_ROW, Conference, SeatAssignment
from meetings.printing.data import build_letters
from meetings.printing.service import letters_file
from meetings.seating.chart import PALETTE, build_chart
from meetings.seating.outputs import chart_file, plates, plates_file
from meetings.seating.service import plans_of, seat_label


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


@pytest.fixture
def seed() -> Conference:
    load_demo()
    return db.session.scalar(select(Conference).filter_by(title=SEED_TITLE))


def _seat_of(plan, row, seat) -> SeatAssignment:
    return db.session.scalar(select(SeatAssignment).filter_by(plan_id=plan.id, row=row, seat=seat))


def test_the_demo_seats_the_chair_presenter_and_standing_committee(seed):
    plan = plans_of(seed)[0]
    chart = build_chart(plan)
    # Chair in the middle of the presidium's 7 places, the presenter on her right.
    assert chart.presidium[3].name == "Trần Thị Phương Hoa"
    assert chart.presidium[2].name == "Nguyễn Văn Chiến"
    # The third of the Standing Committee's leaders sits in the centre of row A.
    assert chart.grid[0][11].name == "Bùi Tuấn Anh"
    assert chart.seated == chart.demand > 80
    assert not chart.unseated


def test_chart_pdf_reads_back_landscape_with_names_and_legend(seed, tmp_path):
    content, filename = chart_file(seed, "A4")
    reader = PdfReader(io.BytesIO(content))
    assert filename == f"so-do-cho-ngoi-{seed.id}.pdf"
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 595)  # A4 landscape
    text = _text(content)
    for expected in (
        "SƠ ĐỒ CHỖ NGỒI",
        "SÂN KHẤU — ĐOÀN CHỦ TỊCH",
        "Trần Thị Phương Hoa",  # the presidium's seats, on two lines
        "Bùi Tuấn Anh",
        "Thường trực Quận ủy (3)",  # the legend: category and how many are seated
        "Hàng E, ghế 1–3 — Phường Dịch Vọng",
        "Hội trường Quận ủy",
    ):
        assert expected in text, expected
    a3 = PdfReader(io.BytesIO(chart_file(seed, "A3")[0])).pages[0].mediabox
    assert (round(float(a3.width)), round(float(a3.height))) == (1191, 842)

    pdf = tmp_path / "chart.pdf"
    pdf.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(tmp_path / "c")], check=True)
    image = Image.open(next(tmp_path.glob("c-*.png"))).convert("RGB")
    assert image.width > image.height
    colours = {colour for _, colour in image.getcolors(1 << 20)}
    first = tuple(int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))
    assert first in colours  # the first category's seats are filled with its colour


def test_name_plates_are_tent_cards_of_the_presidium_and_front_rows(seed, tmp_path):
    plan = plans_of(seed)[0]
    chart = build_chart(plan)
    expected = [c for c in chart.presidium if c] + [c for row in chart.grid[:2] for c in row if c]
    content, _ = plates_file(seed)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == len(expected)
    first = " ".join(reader.pages[0].extract_text().split())
    # Both halves carry the name and the position (the top half turned over).
    assert first.count(expected[0].name.upper()) == 2
    assert first.count(expected[0].position) == 2
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    pdf = tmp_path / "plates.pdf"
    pdf.write_bytes(content)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
    )
    image = ImageOps.invert(Image.open(next(tmp_path.glob("p-*.png"))).convert("L"))
    half = image.height // 2
    top = image.crop((0, 0, image.width, half)).point(lambda v: 255 if v > 128 else 0)
    bottom = image.crop((0, image.height - half, image.width, image.height)).point(
        lambda v: 255 if v > 128 else 0
    )
    box = bottom.getbbox()
    assert box is not None and box[2] - box[0] > image.width / 3  # a large name
    # The faces mirror each other: the top is the bottom turned by 180° (within 2 pixels).
    turned = top.rotate(180).getbbox()
    assert all(abs(a - b) <= 2 for a, b in zip(turned, box, strict=True)), (turned, box)


def test_a_substitutes_plate_prints_the_substitute(seed):
    plan = plans_of(seed)[0]
    sitting = _seat_of(plan, 1, 12).invitation
    original = sitting.invitee_label
    sitting.substitute_name, sitting.substitute_position = "Lê Văn Thế", "Phó Chủ tịch UBND quận"
    db.session.flush()
    names = [p.name for p in plates(seed)]
    assert "Lê Văn Thế" in names and original not in names
    text = _text(plates_file(seed)[0])
    assert "LÊ VĂN THẾ" in text and "Phó Chủ tịch UBND quận" in text


def test_the_letter_shows_the_seat(seed):
    plan = plans_of(seed)[0]
    chair = _seat_of(plan, PRESIDIUM_ROW, 4).invitation
    front = _seat_of(plan, 1, 12).invitation
    assert seat_label(front) == "Hàng A, ghế 12"
    assert seat_label(chair) == "Đoàn Chủ tịch, ghế 4"
    batch = build_letters(seed)
    seats = {line for letter in batch.letters for line in letter.extra}
    assert "Vị trí: Hàng A, ghế 12" in seats
    assert "Vị trí: Đoàn Chủ tịch, ghế 4" not in seats  # the chair signs the letters: none for her
    text = _text(letters_file(seed, "pdf").content)
    assert "Vị trí: Hàng A, ghế 12" in text
    assert chair.person.full_name == "Trần Thị Phương Hoa"


def test_cli_writes_the_chart_and_the_plates(seed, app, tmp_path):
    runner = app.test_cli_runner()
    chart = tmp_path / "chart.pdf"
    result = runner.invoke(
        args=["seating", str(seed.id), "--format", "pdf", "-o", str(chart)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "SƠ ĐỒ CHỖ NGỒI" in _text(chart.read_bytes())
    plates_pdf = tmp_path / "plates.pdf"
    result = runner.invoke(args=["name-plates", str(seed.id), "-o", str(plates_pdf)])
    assert result.exit_code == 0, result.output
    assert "TRẦN THỊ PHƯƠNG HOA" in _text(plates_pdf.read_bytes())
    missing = runner.invoke(args=["seating", "999999", "-o", str(chart)])
    assert missing.exit_code != 0 and "no conference" in missing.output
