"""Quantities in messages read as people write them."""

import pytest
from conftest import load_tool

quantities = load_tool("retail_inventory", "quantities")


@pytest.mark.parametrize(("value", "text"), [
    (6.0, "6"), (2.5, "2.5"), (0.125, "0.125"), (19.9999999, "20"), (0.0, "0"), (-0.0001, "0"),
    (-3.0, "-3"), (1234567.0, "1234567"),
])
def test_format_quantity(value, text):
    assert quantities.format_quantity(value) == text
