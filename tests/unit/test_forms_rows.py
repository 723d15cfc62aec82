"""Form rows (``app.forms.form_to_data``): a row index is a few digits; a longer one is no
row, never a crash (Python's int() refuses over 4,300 digits)."""

from werkzeug.datastructures import MultiDict

from app.forms import form_to_data
from directory.catalog.schemas import OrganizationInSchema


def test_a_thousands_digit_row_index_is_no_row():
    form = MultiDict({"name": "Org", "phones." + "9" * 5000 + ".number": "3125550123"})
    data, _origin = form_to_data(form, OrganizationInSchema())
    assert data["name"] == "Org"
    assert "phones" not in data or data["phones"] == []


def test_an_ordinary_row_index_is_a_row():
    form = MultiDict({"name": "Org", "phones.0.number": "3125550123"})
    data, origin = form_to_data(form, OrganizationInSchema())
    assert data["phones"] == [{"number": "3125550123"}]
    assert origin["phones"] == [0]
