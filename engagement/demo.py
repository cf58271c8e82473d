"""Demo news, this year's perception survey (the demo tenant is invited and has not yet
answered), a consultation and a "You said, we did". Safe to run again and again."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from engagement.models import (
    Consultation,
    NewsItem,
    Survey,
    SurveyResponse,
    YouSaidWeDid,
)
from engagement.services import (
    consultation_publish,
    news_publish,
    news_save,
    survey_response_submit,
    survey_sample,
    you_said_we_did_publish,
)
from kernel.reporting import reporting_year_containing
from kernel.roles import Role
from tenancy.models import Customer

DEMO_ANSWERS = (
    {
        "tp01": "very_satisfied",
        "had_repair": "yes",
        "tp02": "fairly_satisfied",
        "tp03": "neither",
        "tp04": "fairly_satisfied",
        "tp05": "very_satisfied",
        "tp06": "fairly_satisfied",
        "tp07": "fairly_dissatisfied",
        "tp08": "tend_to_agree",
        "made_complaint": "no",
        "has_communal_areas": "no",
        "tp11": "not_applicable",
        "tp12": "fairly_satisfied",
    },
    {
        "tp01": "fairly_dissatisfied",
        "had_repair": "yes",
        "tp02": "very_dissatisfied",
        "tp03": "very_dissatisfied",
        "tp04": "neither",
        "tp05": "fairly_satisfied",
        "tp06": "fairly_dissatisfied",
        "tp07": "neither",
        "tp08": "tend_to_disagree",
        "made_complaint": "yes",
        "tp09": "fairly_dissatisfied",
        "has_communal_areas": "yes",
        "tp10": "fairly_satisfied",
        "tp11": "neither",
        "tp12": "not_applicable",
    },
)


def seed(demo) -> None:
    manager = demo.staff[Role.MANAGER]
    now = timezone.now()
    today = timezone.localdate()
    for title, summary, body in (
        (
            "Estate fun day on 20 June",
            "Join your neighbours on the Riverside green.",
            "Stalls, games and a barbecue from 12 to 4.",
        ),
        (
            "New ways to pay your rent",
            "You can now pay by card in the portal.",
            "Direct debit stays the easiest way to pay.",
        ),
    ):
        if not NewsItem.objects.filter(title=title).exists():
            item = news_save(item=NewsItem(title=title, summary=summary, body=body), actor=manager)
            news_publish(item=item, actor=manager)

    year = reporting_year_containing(today)
    survey, created = Survey.objects.get_or_create(
        first_year=year.first_year,
        defaults={
            "title": f"Your views on our services, {year.label}",
            "opens_on": today - dt.timedelta(days=7),
            "closes_on": today + dt.timedelta(days=60),
            "approach_summary": "Simple random sample of households in each stock class, "
            "invited through the portal, by post and by telephone. Results are not weighted.",
            "created_by": manager,
            "created_at": now,
        },
    )
    if created:
        survey_sample(survey=survey, per_stock_class={"lcra": 12, "lcho": 1}, seed=2026)
        survey.invitations.get_or_create(
            customer=demo.tenant, defaults={"stock_class": "lcra", "invited_at": now}
        )
        others = Customer.objects.filter(
            pk__in=survey.invitations.exclude(customer=demo.tenant).values("customer_id")
        ).order_by("pk")[: len(DEMO_ANSWERS)]
        for customer, answers in zip(others, DEMO_ANSWERS, strict=False):
            if not SurveyResponse.objects.filter(survey=survey, customer=customer).exists():
                survey_response_submit(
                    survey=survey,
                    customer=customer,
                    answers=answers,
                    method="telephone",
                    actor=manager,
                )

    consultation, created = Consultation.objects.get_or_create(
        title="Where should the new bike store go?",
        defaults={
            "summary": "We have money for a secure bike store on Riverside Estate.",
            "body": "It could go beside the bin store or by the play area. Tell us which.",
            "opens_on": today - dt.timedelta(days=3),
            "closes_on": today + dt.timedelta(days=25),
            "created_by": manager,
            "created_at": now,
        },
    )
    if created:
        consultation_publish(consultation=consultation, actor=manager)
    if not YouSaidWeDid.objects.exists():
        entry = YouSaidWeDid.objects.create(
            you_said="The bins at Alder Court overflow at weekends.",
            we_did="We added a Saturday collection from January.",
            source="feedback",
            created_by=manager,
            created_at=now,
        )
        you_said_we_did_publish(entry=entry, actor=manager)
