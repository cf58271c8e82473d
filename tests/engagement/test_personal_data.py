"""What a subject access pack holds of engagement: the person's own survey answers (anonymous
in every report, but theirs), consultation views, involvement sign-ups and equality answers;
never another resident's."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from engagement import selectors
from engagement.models import CaseSurvey, ConsultationResponse
from engagement.services import involvement_register
from repairs.models import Repair
from tests.engagement.factories import (
    ConsultationFactory,
    SurveyFactory,
    SurveyInvitationFactory,
    SurveyResponseFactory,
)

pytestmark = pytest.mark.django_db


def test_a_persons_own_answers_and_sign_ups_are_in_their_pack_and_not_a_neighbours(
    tenant_a, tenant_b
):
    survey = SurveyFactory()
    SurveyInvitationFactory(survey=survey, customer=tenant_a)
    mine = SurveyResponseFactory(
        survey=survey,
        customer=tenant_a,
        tp01="very_satisfied",
        had_repair="yes",
        comments="The new kitchen is lovely.",
    )
    theirs = SurveyResponseFactory(survey=survey, customer=tenant_b, comments="Bins overflow.")
    consultation = ConsultationFactory()
    ConsultationResponse.objects.create(
        consultation=consultation,
        customer=tenant_a,
        view="Behind block B.",
        responded_at=timezone.now(),
    )
    involvement_register(
        customer=tenant_a,
        activities=["digital_panel"],
        disability="no",
        ethnic_group="prefer_not_to_say",
    )

    part = selectors.personal_data_for(tenant_a)
    kinds = sorted(record.key.split(":")[0] for record in part.records)
    assert kinds == [
        "engagement.ConsultationResponse",
        "engagement.EqualityAnswers",
        "engagement.InvolvementInterest",
        "engagement.SurveyInvitation",
        "engagement.SurveyResponse",
    ]
    answers = next(r for r in part.records if r.key == f"engagement.SurveyResponse:{mine.pk}")
    fields = dict(answers.fields)
    assert fields["Comments"] == "The new kitchen is lovely."
    # Labelled with the question as it was asked, not its code.
    assert "Tp01" not in fields and "Had repair" not in fields
    assert "Very satisfied" in fields.values()
    assert any(label.startswith("Taking everything into account") for label in fields)
    assert f"engagement.SurveyResponse:{theirs.pk}" not in {r.key for r in part.records}
    assert "Bins overflow." not in repr(part)
    equality = next(r for r in part.records if r.key.startswith("engagement.EqualityAnswers:"))
    assert ("Ethnic group", "Prefer not to say") in equality.fields
    assert [r.key for r in selectors.personal_data_for(tenant_b).records] == [
        f"engagement.SurveyResponse:{theirs.pk}"
    ]


def test_a_persons_how_did_we_do_answers_are_in_their_pack_and_not_a_housemates(
    tenant_a, joint_tenant_a
):
    repair_type = ContentType.objects.get_for_model(Repair)
    mine = CaseSurvey.objects.create(
        kind="repair",
        customer=tenant_a,
        case_type=repair_type,
        case_id=1,
        invited_at=timezone.now(),
        answered_at=timezone.now(),
        satisfaction="fairly_dissatisfied",
        comments="They left a mess.",
    )
    CaseSurvey.objects.create(
        kind="asb",
        customer=joint_tenant_a,
        case_type=repair_type,
        case_id=2,
        invited_at=timezone.now(),
        answered_at=timezone.now(),
        satisfaction="very_satisfied",
        comments="Thank you for sorting the noise.",
    )
    part = selectors.personal_data_for(tenant_a)
    record = next(r for r in part.records if r.key == f"engagement.CaseSurvey:{mine.pk}")
    assert record.title == "How did we do? A repair"
    assert "They left a mess." in dict(record.fields).values()
    assert "noise" not in repr(part)
