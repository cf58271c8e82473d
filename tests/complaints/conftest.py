from __future__ import annotations

import pytest

from kernel.roles import Role
from tests.factories import StaffFactory


@pytest.fixture
def review_officer(db):
    """A second complaints officer: the one who may take a Final Review."""
    return StaffFactory(roles=[Role.COMPLAINTS], first_name="Rita", last_name="Reviewer")
