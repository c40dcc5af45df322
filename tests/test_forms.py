"""The base form: dates as dd/mm/yyyy on the 24-hour clock, WTForms in the user's language,
ids unique when a page shows several forms."""

from datetime import date, datetime

import pytest
from werkzeug.datastructures import MultiDict
from wtforms.validators import InputRequired

from meetings.forms import BaseForm, DayField, DayTimeField, parse_day_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15/09/2031", (date(2031, 9, 15), None)),
        ("5/9/2031", (date(2031, 9, 5), None)),
        ("05.09.2031", (date(2031, 9, 5), None)),
        ("15-9-2031 8:05", (date(2031, 9, 15), (8, 5))),
        ("15/09/2031 14h30", (date(2031, 9, 15), (14, 30))),
        ("15/09/2031 17h", (date(2031, 9, 15), (17, 0))),
        ("2031-09-15T14:30", (date(2031, 9, 15), (14, 30))),  # what a script or test sends
        ("2031-09-15", (date(2031, 9, 15), None)),
        ("09/31/2031", None),  # month first: no 31st month
        ("31/02/2031", None),
        ("15/09/2031 24:00", None),
        ("15/09/2031 2:30 PM", None),  # the 24-hour clock only
        ("", None),
    ],
)
def test_day_and_time_are_read_day_first_on_the_24_hour_clock(text, expected):
    assert parse_day_time(text) == expected


class _Form(BaseForm):
    class Meta:
        csrf = False

    day = DayField("Day")
    start = DayTimeField("Start", validators=[InputRequired()])


def test_fields_show_day_month_year_and_refuse_what_they_cannot_read(app):
    with app.test_request_context():
        form = _Form(data={"day": date(2031, 9, 5), "start": datetime(2031, 9, 5, 14, 0)})
        assert 'value="05/09/2031"' in form.day() and 'value="05/09/2031 14:00"' in form.start()
        assert 'type="text"' in form.start()
        form = _Form(MultiDict({"day": "05/09/2031 8:00", "start": "   "}))
        assert not form.validate()
        assert "dd/mm/yyyy" in form.errors["day"][0]  # a time where only a day is asked
        assert form.errors["start"]  # blank is no input


def test_several_forms_on_a_page_keep_ids_unique(app):
    class First(BaseForm):
        id_prefix = "first"
        day = DayField("Day")

    with app.test_request_context():
        first, second = First(meta={"csrf": True}), _Form()
        assert 'id="first-day"' in first.day() and 'for="first-day"' in first.day.label()
        assert first.day.name == "day"  # what the route reads does not change
        assert 'id="day"' in second.day()
        assert "id=" not in str(first.csrf_token)
