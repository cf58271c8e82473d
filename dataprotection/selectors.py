"""Reads for requests about a person's own data, and the discovery of every app's part.

Parts are found by name, not imported by hand: every installed app of the project whose
``selectors`` module defines ``personal_data_for`` contributes (``kernel/personal_data.py``), so
an app added later is gathered without a change here, and the coverage test fails until it
declares its models.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from casework.access import CaseModelEntry, registered_case_models
from casework.models import SensitiveCaseRead
from dataprotection.models import DataRequest, PackLink, Redaction, RetentionRule
from kernel import personal_data
from kernel.formatting import LONDON
from tenancy.models import Customer

PartFunction = Callable[[Customer], personal_data.Part]


def project_app_configs() -> list:
    """The installed apps that are the project's own (not Django's or a library's)."""
    base = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if base in path.parents and ".venv" not in path.parts and "site-packages" not in path.parts:
            found.append(config)
    return found


def selectors_module(config) -> ModuleType | None:
    try:
        return importlib.import_module(f"{config.name}.selectors")
    except ModuleNotFoundError as exc:
        if exc.name != f"{config.name}.selectors":
            raise
        return None


def part_functions() -> list[tuple[str, PartFunction]]:
    """``(app label, personal_data_for)`` of every project app that has one, in the order of
    ``INSTALLED_APPS`` (the house from the bottom up: the person, then their cases)."""
    found = []
    for config in project_app_configs():
        module = selectors_module(config)
        function = getattr(module, personal_data.PART_FUNCTION_NAME, None) if module else None
        if callable(function):
            found.append((config.label, function))
    return found


def coverages() -> dict[str, personal_data.Coverage]:
    """Each project app's declaration of its models, by app label."""
    found = {}
    for config in project_app_configs():
        module = selectors_module(config)
        coverage = getattr(module, personal_data.COVERAGE_NAME, None) if module else None
        if coverage is not None:
            found[config.label] = coverage
    return found


# --- the person's records: one per home they have had -----------------------------------------

# Moves followed from one record at most: far more than anyone makes, and a bound on the walk.
MOST_MOVES = 20


def records_of_the_same_person(customer: Customer) -> list[Customer]:
    """Every customer record of this person, this one first, then from the earliest home on.

    A tenant who moves home through a letting gets a new record on the new tenancy, and their
    sign-in moves to it (``tenancy.services.tenancy_create_for_letting``); the earlier record
    stays on the home they left, with the cases they made there. What links the two is the
    letting itself: the settling-in case of the new record was opened from the application
    made under the earlier one. Those links are followed both ways, so a request logged
    against either record finds both; nothing else is, so another member of either household
    is never taken for the person. The model is found by name, as this app imports no service
    app.
    """
    settling_ins = apps.get_model("lettings", "SettlingIn")._base_manager
    found = {customer.pk}
    frontier = {customer.pk}
    for _ in range(MOST_MOVES):
        moves = settling_ins.filter(
            Q(customer_id__in=frontier) | Q(application__customer_id__in=frontier)
        ).values_list("application__customer_id", "customer_id")
        frontier = {pk for move in moves for pk in move if pk is not None} - found
        if not frontier:
            break
        found |= frontier
    others = Customer.objects.filter(pk__in=found - {customer.pk}).select_related("tenancy", "user")
    # A record with no household (an applicant's) sorts first: it came before any home.
    return [
        customer,
        *sorted(others, key=lambda c: (c.tenancy.start_date if c.tenancy else dt.date.min, c.pk)),
    ]


def part_for_every_record(part_for: PartFunction, records: list[Customer]) -> personal_data.Part:
    """One app's part gathered under each of the person's records, as one part: each record
    once, though two of the person's records reach it (an application is the applicant's
    under both)."""
    parts = [part_for(record) for record in records]
    if len(parts) == 1:
        return parts[0]
    keys: set[str] = set()
    gathered: list[personal_data.Record] = []
    for record in (r for part in parts for r in part.records):
        if record.key not in keys:
            keys.add(record.key)
            gathered.append(record)
    files = {file.record_key + file.storage_name: file for part in parts for file in part.files}
    return personal_data.Part(
        area=parts[0].area, records=tuple(gathered), files=tuple(files.values())
    )


# --- this app's own part: the person's requests --------------------------------------------

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "dataprotection.DataRequest": "every request the person made about their data",
        "dataprotection.Redaction": "what was removed from their packs, and why",
        "dataprotection.PackLink": "when their download links were issued and used",
    },
    holds_none={
        "dataprotection.RetentionRule": "the retention schedule",
        "dataprotection.RetentionRun": "how many records each run anonymised",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    requests = list(
        DataRequest.objects.filter(customer=customer)
        .select_related("assignee", "team", "representative")
        .order_by("opened_at", "pk")
    )
    reference = {r.pk: r.reference for r in requests}
    records = personal_data.records_of(
        requests,
        title=lambda r: f"{r.reference}: {r.display_title}",
        exclude=(*personal_data.CASE_LINKS_NOT_SHOWN, "gathered", "pack"),
        staff=lambda r: (r.assignee,),
    )
    records += personal_data.records_of(
        PackLink.objects.filter(request_id__in=reference).order_by("pk"),
        title=lambda link: f"{reference[link.request_id]}: a download link",
        exclude=("token", "issued_by", "used_by"),
    )
    # Redactions are listed with their reason but not the words removed: those are what was
    # withheld.
    records += [
        personal_data.Record(
            key=f"dataprotection.Redaction:{r.pk}",
            kind="Redaction",
            title=f"{reference[r.request_id]}: something was removed",
            fields=(("What", str(r.get_kind_display())), ("Why", r.reason)),
        )
        for r in Redaction.objects.filter(request_id__in=reference).order_by("pk")
    ]
    return personal_data.Part(area="Your requests about your data", records=tuple(records))


# --- the customer's requests ---------------------------------------------------------------


def requests_for_customer(customer: Customer) -> QuerySet[DataRequest]:
    """The requests this person made, newest first (not their household's)."""
    return DataRequest.objects.filter(customer=customer).order_by("-opened_at", "-pk")


def access_request(customer: Customer, reference: str) -> DataRequest:
    """A request the person made, or 404 (the same for one that does not exist and one made by
    someone else, in their household or not)."""
    found = (
        DataRequest.objects.filter(reference=reference.strip().upper(), customer=customer)
        .select_related("customer")
        .first()
    )
    if found is None:
        raise Http404
    return found


def access_released_request(customer: Customer, reference: str) -> DataRequest:
    """A released request whose pack this person may download: their own, or one they are the
    recorded representative for. 404 otherwise."""
    found = (
        DataRequest.objects.filter(reference=reference.strip().upper())
        .select_related("customer")
        .first()
    )
    if found is None or customer.pk not in (found.customer_id, found.representative_id):
        raise Http404
    return found


def usable_link(request: DataRequest) -> PackLink | None:
    """The newest link still unused and unexpired, if any."""
    return (
        request.links.filter(used_at__isnull=True, expires_at__gt=timezone.now())
        .order_by("-issued_at", "-pk")
        .first()
    )


def access_link(request: DataRequest, token: str) -> PackLink | None:
    """The link of this request with this token, used or not, or None."""
    return request.links.filter(token=token).first()


def requests_released_to_representative(customer: Customer) -> QuerySet[DataRequest]:
    return DataRequest.objects.filter(representative=customer, released_at__isnull=False)


# --- who has looked at my records -----------------------------------------------------------


@dataclass(frozen=True)
class ReadOfMyRecords:
    """One line of the answer: a member of staff's reads of one record on one day. An officer
    watching a pack being gathered reloads the request every few seconds; the log keeps every
    read, the person is told of them as one line: the first and last time, and how many."""

    reference: str
    read_at: dt.datetime
    team: str
    first_read_at: dt.datetime | None = None
    times: int = 1

    @property
    def repeated(self) -> bool:
        return self.times > 1


# What the person is told a read of their notes was, and by whom: any member of staff may be
# shown them on the customer's page or the household's.
NOTES_RECORD = "Your contact and vulnerability notes"
NOTES_READER = "staff"


def _cases_whose_reads_are_mine(entry: CaseModelEntry, records: list[Customer]) -> QuerySet:
    """The cases of one model whose logged reads this person is told of: every case they made
    under any of their records (the home they left, the record they had before they came back),
    and, for a model the household shares, every case of their household now. A sensitive
    case or a request about one's own data is the maker's alone, as in the portal
    (``CaseModelEntry.requester_only``): another member of the household never learns of it
    here either. A former home's other cases belong to the people who lived there."""
    theirs = Q(customer_id__in=[record.pk for record in records])
    household_id = records[0].tenancy_id
    if not entry.requester_only and household_id is not None:
        theirs |= Q(tenancy_id=household_id)
    return entry.model._default_manager.filter(theirs)


def reads_of_my_records(customer: Customer, *, limit: int = 200) -> list[ReadOfMyRecords]:
    """Every logged staff read of this person's records, newest first: when, which record, and
    the team of the reader (their name is in a subject access pack, where the officer decides
    whether to disclose it). The reads of one record by one member of staff on one day (in
    London) are one line, with the first and last time and how many; the log itself keeps
    every read.

    Every kind of record the read log holds is asked about (every registered case model, not
    only those registered sensitive: a request about one's own data is logged as read too; and
    the person's own records, whose vulnerability and safe-contact notes are logged as read),
    in one query of the log whatever the number of kinds, then one query a kind found for the
    references."""
    records = records_of_the_same_person(customer)
    entries = {
        ContentType.objects.get_for_model(entry.model).pk: entry
        for entry in registered_case_models()
    }
    customer_type_id = ContentType.objects.get_for_model(Customer).pk
    theirs = Q(content_type_id=customer_type_id, object_id__in=[record.pk for record in records])
    for content_type_id, entry in entries.items():
        theirs |= Q(
            content_type_id=content_type_id,
            object_id__in=_cases_whose_reads_are_mine(entry, records).values("pk"),
        )
    reads = list(
        SensitiveCaseRead.objects.filter(theirs)
        .annotate(day=TruncDate("read_at", tzinfo=LONDON))
        .values("content_type_id", "object_id", "user_id", "day")
        .annotate(first=Min("read_at"), last=Max("read_at"), times=Count("pk"))
        .order_by("-last", "content_type_id", "object_id", "user_id")
        .values_list("content_type_id", "object_id", "first", "last", "times")[:limit]
    )
    references: dict[tuple[int, int], str] = {}
    for content_type_id in {read[0] for read in reads} - {customer_type_id}:
        ids = {read[1] for read in reads if read[0] == content_type_id}
        model = entries[content_type_id].model
        for pk, reference in model._default_manager.filter(pk__in=ids).values_list(
            "pk", "reference"
        ):
            references[(content_type_id, pk)] = reference
    lines = []
    for type_id, object_id, first, last, times in reads:
        if type_id == customer_type_id:
            reference, team = NOTES_RECORD, NOTES_READER
        elif (type_id, object_id) in references:
            reference, team = references[(type_id, object_id)], _team_of(entries[type_id])
        else:
            continue
        lines.append(
            ReadOfMyRecords(
                reference=reference, read_at=last, team=team, first_read_at=first, times=times
            )
        )
    return lines


def _team_of(entry: CaseModelEntry) -> str:
    return ", ".join(sorted(role.label for role in entry.staff_roles)) + " team"


def customer_has_sensitive_cases(customer: Customer) -> bool:
    """Whether any record of this person is of a kind whose every staff read is logged."""
    records = records_of_the_same_person(customer)
    return any(
        _cases_whose_reads_are_mine(entry, records).exists()
        for entry in registered_case_models()
        if entry.reads_logged
    )


# --- the pack under review ----------------------------------------------------------------


def gathered_data(request: DataRequest) -> dict:
    """The gathered JSON, before redaction."""
    with default_storage.open(request.gathered.name or "", "rb") as handle:
        return json.loads(handle.read().decode())


def gathered_record_keys(request: DataRequest) -> set[str]:
    if not request.gathered:
        return set()
    return {record["key"] for part in gathered_data(request)["parts"] for record in part["records"]}


def suggested_redactions(gathered: dict, already: set[str]) -> list[str]:
    """The other people the parts say their records name, not yet removed."""
    person = gathered.get("person", "")
    names = {
        name
        for part in gathered["parts"]
        for record in part["records"]
        for name in record.get("third_parties", ())
        if name and name != person
    }
    return sorted(names - already)


def gathering_percent(request: DataRequest) -> int:
    if not request.gathering_total:
        return 0
    return round(100 * request.gathering_done / request.gathering_total)


# --- erasure: what must be kept, and why -----------------------------------------------------


@dataclass(frozen=True)
class KeptRecords:
    record_type: str
    keep_years: int
    after: str
    legal_basis: str


def retention_schedule() -> QuerySet[RetentionRule]:
    return RetentionRule.objects.filter(is_active=True).order_by("record_type")


def erasure_assessment(customer: Customer) -> list[KeptRecords]:
    """The retention schedule as it applies to an erasure request: each kind of record, how
    long we must keep it and why, so that what we keep is explained, never silently kept."""
    return [
        KeptRecords(rule.record_type, rule.keep_years, rule.after, rule.legal_basis)
        for rule in retention_schedule()
    ]


def erasure_assessment_text(customer: Customer) -> str:
    lines = [
        "What we must keep, and why:",
        *(
            f"- {kept.record_type}: kept for {kept.keep_years} years after {kept.after}. "
            f"{kept.legal_basis}"
            for kept in erasure_assessment(customer)
        ),
    ]
    return "\n".join(lines)


def representative_by_email(email: str) -> Customer | None:
    """A customer with a sign-in under this email address, who may be recorded as someone's
    representative."""
    return (
        Customer.objects.filter(user__email__iexact=email.strip(), user__is_active=True)
        .select_related("user")
        .first()
    )


def access_request_for_review(reference: str) -> DataRequest:
    """A gathered subject access request, for the data-protection team, or 404."""
    found = (
        DataRequest.objects.filter(reference=reference.strip().upper(), gathered_at__isnull=False)
        .exclude(gathered="")
        .select_related("customer")
        .first()
    )
    if found is None:
        raise Http404
    return found


def customer_for_staff(customer_id: int) -> Customer | None:
    return Customer.objects.select_related("tenancy__property").filter(pk=customer_id).first()
