from __future__ import annotations

import pytest

from tests.factories import BlockFactory, CustomerWithLoginFactory, PropertyFactory, TenancyFactory


@pytest.fixture
def block_a(db):
    return BlockFactory(name="Alder Court")


@pytest.fixture
def resident_a(block_a):
    """A tenant living in Alder Court."""
    home = PropertyFactory(block=block_a, property_type="flat")
    return CustomerWithLoginFactory(tenancy=TenancyFactory(property=home), first_name="Amina")


@pytest.fixture
def resident_b(db):
    """A tenant in another block, on another estate."""
    home = PropertyFactory(block=BlockFactory(name="Birch House"), property_type="flat")
    return CustomerWithLoginFactory(tenancy=TenancyFactory(property=home), first_name="Ben")
