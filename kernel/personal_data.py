"""The one interface through which every app hands over what it holds about a person.

A subject access pack (UK GDPR Art 15) must hold everything we keep about the person asking,
whichever app keeps it. So that a new app cannot be forgotten, each app's ``selectors.py``
defines two names, found by name (the data-protection app imports no app by hand):

- ``PERSONAL_DATA_COVERAGE``: a ``Coverage`` naming every model of the app, each either
  ``included`` (with what of it goes in the pack) or ``holds_none`` (with why it holds no
  customer's personal data). ``tests/dataprotection/test_coverage.py`` walks every installed
  model and fails for one its app has not declared.
- ``personal_data_for(customer) -> Part``: the records of this app about ``customer``.

Records name other people sometimes (a neighbour in a report, a member of staff): a part lists
the names it knows of in ``third_parties``, so the data-protection officer is offered them to
redact before anything is released.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from kernel.formatting import london_date, london_datetime

# The names each app's selectors module defines.
COVERAGE_NAME = "PERSONAL_DATA_COVERAGE"
PART_FUNCTION_NAME = "personal_data_for"


@dataclass(frozen=True)
class Coverage:
    """Every model of an app (``"app_label.ModelName"``), declared one way or the other."""

    included: Mapping[str, str] = field(default_factory=dict)
    holds_none: Mapping[str, str] = field(default_factory=dict)

    def declares(self, label: str) -> bool:
        return label in self.included or label in self.holds_none


@dataclass(frozen=True)
class Record:
    """One thing we hold, as the person will read it. ``key`` is stable across assemblies
    (``"complaints.Complaint:12"``) so a redaction or a withheld record can name it."""

    key: str
    kind: str
    title: str
    fields: tuple[tuple[str, str], ...]
    # Staff-only lines (internal notes) are included too: the right of access covers them.
    third_parties: tuple[str, ...] = ()


@dataclass(frozen=True)
class File:
    """An original file kept on a record: ``storage_name`` in the default storage."""

    record_key: str
    name: str
    storage_name: str
    mime_type: str


@dataclass(frozen=True)
class Part:
    area: str
    records: tuple[Record, ...] = ()
    files: tuple[File, ...] = ()


def text(value: object) -> str:
    """A field's value as the pack shows it: empty for nothing, plain text otherwise."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dt.datetime):
        return london_datetime(value)
    if isinstance(value, dt.date):
        return london_date(value)
    return str(value)


def _shown(value: object) -> str:
    # A member of staff or a customer named on a record: their name, never their sign-in email.
    full_name = getattr(value, "get_full_name", None)
    if callable(full_name):
        return full_name() or "A member of staff"
    return text(value)


# Fields that mean nothing to the person (keys and bookkeeping), left out of every record.
NOT_SHOWN = frozenset({"id", "idempotency_key", "password", "next_due_at"})


def record_of(
    instance,
    *,
    title: str,
    exclude: tuple[str, ...] = (),
    third_parties: tuple[str, ...] = (),
) -> Record:
    """A ``Record`` of every concrete field of ``instance`` (less ``exclude``), labelled with
    the fields' verbose names and choices shown as their labels. Every field, so that a field
    added later reaches the pack without anyone remembering to add it."""
    opts = instance._meta
    rows: list[tuple[str, str]] = []
    for model_field in opts.concrete_fields:
        name = model_field.name
        if name in NOT_SHOWN or name in exclude:
            continue
        related = model_field.related_model if model_field.is_relation else None
        if related is not None and related._meta.label == "contenttypes.ContentType":
            continue
        if model_field.choices:
            value: object = getattr(instance, f"get_{name}_display")()
        else:
            value = getattr(instance, name)
        rows.append((str(model_field.verbose_name).capitalize(), _shown(value)))
    return Record(
        key=f"{opts.label}:{instance.pk}",
        kind=str(opts.verbose_name).capitalize(),
        title=title,
        fields=tuple(rows),
        third_parties=tuple(name for name in third_parties if name),
    )


# A case's links to the household and home are in the tenancy part; shown once, not per case.
CASE_LINKS_NOT_SHOWN = ("customer", "tenancy", "property")


def staff_names(*users) -> tuple[str, ...]:
    """The names of the staff on a record, offered to the data-protection officer to redact."""
    return tuple(_shown(user) for user in users if user is not None)


def records_of(instances, *, title, exclude: tuple[str, ...] = (), staff=()) -> list[Record]:
    """``record_of`` for each instance; ``title(instance)`` names it and ``staff(instance)``
    lists the staff it names."""
    return [
        record_of(
            instance,
            title=title(instance),
            exclude=exclude,
            third_parties=staff_names(*staff(instance)) if callable(staff) else (),
        )
        for instance in instances
    ]
