"""QR codes decode, with a real decoder, to exactly the text they were made from."""

import io

import zxingcpp
from PIL import Image

from meetings.links import personal_checkin_url
from meetings.qr import qr_matrix, qr_png, qr_svg


def _decode_png(data: bytes) -> str:
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))
    assert len(results) == 1
    return results[0].text


def test_png_decodes_to_the_personal_link(app):
    with app.app_context():
        url = personal_checkin_url("Zm9vYmFyYmF6cXV4MTIzNA")
    assert url == "https://hoinghi.example.vn/c/Zm9vYmFyYmF6cXV4MTIzNA"
    assert _decode_png(qr_png(url)) == url


def test_svg_and_matrix_describe_the_same_code():
    svg = qr_svg("https://hoinghi.example.vn/c/abc")
    assert svg.startswith("<svg") and "<path" in svg
    matrix = qr_matrix("https://hoinghi.example.vn/c/abc")
    assert len(matrix) == len(matrix[0]) >= 21
    assert qr_png("same") is qr_png("same")  # encoded once per process
