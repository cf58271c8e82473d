"""What a URL may carry: the path converters for case references and ids, and the readers of
the query parameters views take (page numbers, ids, references).

Django's ``str`` and ``int`` take anything: a NUL byte that PostgreSQL refuses in a query, an id
of thirty digits that no database integer holds. Either reached a query and answered with a
server error. The converters refuse such a URL at resolution, so the visitor gets a 404 as for
any other address that names nothing; the readers turn such a query value into "not given".
"""

from __future__ import annotations

import re

# Case references are ``PREFIX-YYYY-NNNNNN`` (casework.services.case_reference_next), at most
# 20 characters (casework.models.Case.reference); any case is accepted, as typed.
REFERENCE_MAX_LENGTH = 20
# Primary keys are 64-bit; 18 digits stay below 2**63 - 1 whatever the digits are.
ID_MAX_DIGITS = 18


class ReferenceConverter:
    regex = f"[A-Za-z0-9][A-Za-z0-9-]{{0,{REFERENCE_MAX_LENGTH - 1}}}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class IdConverter:
    regex = f"[0-9]{{1,{ID_MAX_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


CONVERTERS: dict[str, type[ReferenceConverter] | type[IdConverter]] = {
    "reference": ReferenceConverter,
    "id": IdConverter,
}

# Far beyond any list the portal shows, far below any integer limit an offset meets.
PAGE_NUMBER_MAX = 100_000


def page_number_from_query(value: str | None) -> int:
    """A page number from ``?page=``: one that is not a whole number from 1 to
    ``PAGE_NUMBER_MAX`` shows the first page, as Django's paginator does for one it cannot
    read."""
    if value is None or not re.fullmatch(r"[0-9]{1,6}", value):
        return 1
    return min(max(int(value), 1), PAGE_NUMBER_MAX)


def id_from_query(value: str | None) -> int | None:
    """An id from a query parameter, or None when it cannot name a row."""
    if value is None or not re.fullmatch(IdConverter.regex, value):
        return None
    return int(value)


def reference_from_query(value: str | None) -> str | None:
    """A case reference from a query parameter, or None when it cannot be one."""
    value = (value or "").strip()
    return value if re.fullmatch(ReferenceConverter.regex, value) else None
