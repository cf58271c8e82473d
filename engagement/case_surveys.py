"""When a case is completed or closed, its customer is asked "how did we do?".

Every case type moves status only through ``casework.services.case_transition``, which saves a
``CaseEvent`` of kind STATUS in the same transaction: that event is the one signal every case
type already emits, so this app listens for it (Django's ``post_save``) instead of importing the
service apps. Which moves count is said here once, by each case type's reference prefix (the
case registry's key) and the status values its app records:

- a repair (REP) when it is completed (a repair cancelled is not asked about);
- a complaint (CMP) when it is closed;
- an ASB case (ASB) when it is closed;
- a move-in: a lettings application (LET) when the tenancy is signed.

The invitation is written in the transaction that moved the case, so a move rolled back asks
nothing, and a case completed twice (reopened and completed again) is asked about once.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save

from casework.models import Case, CaseEvent, EventKind
from engagement.models import CaseSurveyKind
from engagement.services import case_survey_invite


@dataclass(frozen=True)
class Trigger:
    kind: str
    statuses: frozenset[str]


TRIGGERS: dict[str, Trigger] = {
    "REP": Trigger(CaseSurveyKind.REPAIR, frozenset({"completed"})),
    "CMP": Trigger(CaseSurveyKind.COMPLAINT, frozenset({"closed"})),
    "ASB": Trigger(CaseSurveyKind.ASB, frozenset({"closed"})),
    "LET": Trigger(CaseSurveyKind.MOVE_IN, frozenset({"signed_up"})),
}


def trigger_for(event: CaseEvent) -> tuple[type[Case], Trigger] | None:
    if event.kind != EventKind.STATUS:
        return None
    model = ContentType.objects.get_for_id(event.content_type_id).model_class()
    if model is None or not issubclass(model, Case):
        return None
    trigger = TRIGGERS.get(model.REFERENCE_PREFIX)
    if trigger is None or event.to_status not in trigger.statuses:
        return None
    return model, trigger


def case_event_saved(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs):
    if raw or not created:
        return
    found = trigger_for(instance)
    if found is None:
        return
    model, trigger = found
    case = model._default_manager.select_related("customer").get(pk=instance.object_id)
    case_survey_invite(case=case, kind=trigger.kind)


def connect() -> None:
    post_save.connect(
        case_event_saved, sender=CaseEvent, dispatch_uid="engagement.case_surveys.case_event_saved"
    )
