"""News for residents and the Tenant Satisfaction Measures perception survey.

Compliments, comments and suggestions are kept by the complaints app (its ``Feedback``), which
already routes each to the team it is about: see docs/decisions/0022.
"""

from __future__ import annotations

import builtins

from django.conf import settings
from django.db import models
from django.db.models import Q

from tenancy.models import StockClass, Tenure


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone, including visitors who have not signed in"
    RESIDENTS = "residents", "Residents signed in to the portal"


class NewsItem(models.Model):
    """A news item: drafted by staff, shown on the home page and in the RSS feed once
    published. Items for residents only never appear to visitors or in the public feed."""

    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300)
    body = models.TextField()
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.EVERYONE)
    # Blank: every tenure. A rent change for shared owners is news only for them.
    tenure = models.CharField(
        max_length=20,
        choices=Tenure.choices,
        blank=True,
        help_text="Leave blank for everyone; choose one to show it only to that tenure's "
        "signed-in residents.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "news item"
        indexes = [
            models.Index(
                fields=["-published_at"],
                name="engagement_news_published_idx",
                condition=Q(published_at__isnull=False),
            ),
        ]
        constraints = [
            # An item for one tenure is for signed-in residents: visitors have no tenure.
            models.CheckConstraint(
                name="engagement_news_tenure_only_for_residents",
                condition=Q(tenure="") | Q(audience="residents"),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @builtins.property
    def is_published(self) -> bool:
        return self.published_at is not None


# ---------------------------------------------------------------------------------------------
# The Tenant Satisfaction Measures perception survey
# ---------------------------------------------------------------------------------------------


class Satisfaction(models.TextChoices):
    """The regulator's five-point satisfaction scale (Tenant Survey Requirements)."""

    VERY_SATISFIED = "very_satisfied", "Very satisfied"
    FAIRLY_SATISFIED = "fairly_satisfied", "Fairly satisfied"
    NEITHER = "neither", "Neither satisfied nor dissatisfied"
    FAIRLY_DISSATISFIED = "fairly_dissatisfied", "Fairly dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied", "Very dissatisfied"
    # Offered only where the requirements allow it (TP11, TP12); never counted in the base.
    NOT_APPLICABLE = "not_applicable", "Not applicable or don't know"


class Agreement(models.TextChoices):
    """TP08's five-point agreement scale."""

    STRONGLY_AGREE = "strongly_agree", "Strongly agree"
    TEND_TO_AGREE = "tend_to_agree", "Tend to agree"
    NEITHER = "neither", "Neither agree nor disagree"
    TEND_TO_DISAGREE = "tend_to_disagree", "Tend to disagree"
    STRONGLY_DISAGREE = "strongly_disagree", "Strongly disagree"


class YesNo(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"


class YesNoDontKnow(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't know"


class CollectionMethod(models.TextChoices):
    PORTAL = "portal", "Online, in the portal"
    TELEPHONE = "telephone", "Telephone interview"
    PAPER = "paper", "Paper questionnaire by post"
    FACE_TO_FACE = "face_to_face", "Face to face"


class Survey(models.Model):
    """One year's TSM perception survey: who was sampled, when it ran, and the survey-approach
    summary the regulator requires to be published beside the results."""

    title = models.CharField(max_length=150)
    # The reporting year (1 April to 31 March) whose TSMs its answers produce.
    first_year = models.PositiveSmallIntegerField(
        help_text="The reporting year starting 1 April of this year."
    )
    opens_on = models.DateField()
    closes_on = models.DateField()
    # The survey-approach summary (Tenant Survey Requirements paragraph 35, items a to k):
    # sample size, timing, collection methods, sampling, weighting, incentives, contractor...
    approach_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(editable=False)

    class Meta:
        ordering = ["-first_year", "-opens_on"]
        constraints = [
            models.CheckConstraint(
                name="engagement_survey_closes_after_opening",
                condition=Q(closes_on__gte=models.F("opens_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyInvitation(models.Model):
    """A household member sampled for the survey (sampling by stock class, so LCRA and LCHO
    results each reach their precision). Only the invited may answer in the portal."""

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="invitations")
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    stock_class = models.CharField(max_length=20, choices=StockClass.choices)
    invited_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "survey"], name="engagement_invitation_once_per_survey"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.survey}"


class SurveyResponse(models.Model):
    """One person's answers to one survey. Reports count answers and never name anyone.

    The answer fields are the regulator's questions in ``engagement.questions``; a filter
    question (a repair, a complaint, communal areas) decides whether its measure counts the
    answer. ``stock_class`` is the home's class when the answers were given, so a later change
    to the register does not move a year already reported.
    """

    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    stock_class = models.CharField(max_length=20, choices=StockClass.choices)
    method = models.CharField(max_length=20, choices=CollectionMethod.choices)
    responded_at = models.DateTimeField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    tp01 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    had_repair = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    tp02 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp03 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp04 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp05 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp06 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp07 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp08 = models.CharField(max_length=20, choices=Agreement.choices, blank=True)
    made_complaint = models.CharField(max_length=10, choices=YesNo.choices, blank=True)
    tp09 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    has_communal_areas = models.CharField(max_length=10, choices=YesNoDontKnow.choices, blank=True)
    tp10 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp11 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    tp12 = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)

    comments = models.TextField(blank=True)
    # Only with this may a comment become a complaint or a safety case (the answers are
    # otherwise anonymous in every report).
    consent_to_follow_up = models.BooleanField(default=False)
    followed_up_as = models.CharField(max_length=20, blank=True, editable=False)
    followed_up_reference = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        indexes = [models.Index(fields=["survey", "stock_class"], name="engagement_resp_class_idx")]
        constraints = [
            # One set of answers per person per survey, whatever the channel or how often the
            # form is sent.
            models.UniqueConstraint(
                fields=["survey", "customer"], name="engagement_response_once_per_person"
            ),
            models.CheckConstraint(
                name="engagement_response_low_cost_home",
                condition=Q(stock_class__in=["lcra", "lcho"]),
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.survey}"


# ---------------------------------------------------------------------------------------------
# Consultations and "You said, we did"
# ---------------------------------------------------------------------------------------------


class Consultation(models.Model):
    """A question put to the residents a change affects: the blocks chosen (none: every home)
    and the tenure chosen (none: every tenure). Residents outside it never see it."""

    title = models.CharField(max_length=150)
    summary = models.CharField(max_length=300)
    body = models.TextField()
    blocks = models.ManyToManyField(
        "tenancy.Block",
        related_name="+",
        blank=True,
        help_text="Leave empty to consult every home; choose the blocks of an estate for that "
        "estate.",
    )
    tenure = models.CharField(max_length=20, choices=Tenure.choices, blank=True)
    opens_on = models.DateField()
    closes_on = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    outcome = models.TextField(blank=True, help_text="What we decided, shown once published.")
    outcome_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(editable=False)

    class Meta:
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(
                name="engagement_consultation_closes_after_opening",
                condition=Q(closes_on__gte=models.F("opens_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationResponse(models.Model):
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="responses"
    )
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    view = models.TextField()
    responded_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["consultation", "customer"], name="engagement_consultation_one_response"
            ),
        ]

    def __str__(self) -> str:
        return f"Response to {self.consultation}"


class LearningSource(models.TextChoices):
    FEEDBACK = "feedback", "Your compliments, comments and suggestions"
    CONSULTATION = "consultation", "A consultation"
    COMPLAINTS = "complaints", "What complaints taught us"
    SURVEY = "survey", "Satisfaction surveys"
    SCRUTINY = "scrutiny", "Scrutiny panel and mystery shoppers"


class YouSaidWeDid(models.Model):
    """What residents told us and the change it made, published for everyone."""

    you_said = models.TextField()
    we_did = models.TextField()
    source = models.CharField(max_length=20, choices=LearningSource.choices)
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The complaint learning or feedback it came from, by reference, for staff to follow.
    source_reference = models.CharField(max_length=40, blank=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = "you said, we did"
        verbose_name_plural = "you said, we did"
        constraints = [
            models.CheckConstraint(
                name="engagement_ysd_consultation_when_from_one",
                condition=~Q(source="consultation") | Q(consultation__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.you_said[:60]


# ---------------------------------------------------------------------------------------------
# Get involved
# ---------------------------------------------------------------------------------------------


class Activity(models.TextChoices):
    SCRUTINY_PANEL = "scrutiny_panel", "Scrutiny panel"
    MYSTERY_SHOPPER = "mystery_shopper", "Mystery shopper"
    RESIDENT_INSPECTOR = "resident_inspector", "Resident inspector"
    TENANTS_ASSOCIATION = "tenants_association", "Tenants' and residents' association"
    DIGITAL_PANEL = "digital_panel", "Digital panel (online surveys and testing)"


class InvolvementInterest(models.Model):
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    activity = models.CharField(max_length=30, choices=Activity.choices)
    registered_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "activity"], name="engagement_interest_once_per_activity"
            ),
        ]

    def __str__(self) -> str:
        return self.get_activity_display()


PREFER_NOT_TO_SAY = ("prefer_not_to_say", "Prefer not to say")


class Disability(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class EthnicGroup(models.TextChoices):
    """The Census 2021 high-level ethnic groups for England."""

    ASIAN = "asian", "Asian or Asian British"
    BLACK = "black", "Black, Black British, Caribbean or African"
    MIXED = "mixed", "Mixed or multiple ethnic groups"
    WHITE = "white", "White"
    OTHER = "other", "Other ethnic group"
    PREFER_NOT_TO_SAY = PREFER_NOT_TO_SAY


class EqualityAnswers(models.Model):
    """Optional answers used only to report how representative involvement is, never to
    decide anything about the person; shown to nobody by name."""

    customer = models.OneToOneField("tenancy.Customer", on_delete=models.CASCADE, related_name="+")
    disability = models.CharField(max_length=20, choices=Disability.choices, blank=True)
    ethnic_group = models.CharField(max_length=20, choices=EthnicGroup.choices, blank=True)
    answered_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "equality answers"

    def __str__(self) -> str:
        return "Equality answers"


class PerceptionTally(models.Model):
    """How many responses to one survey, from one stock class, gave one answer to one question
    (with the answer its filter question got). Kept by the service that records each response,
    in the same transaction, so TP01-TP12 are read from a few hundred rows rather than counted
    from every response (``engagement.selectors.perception_measures``);
    ``perception_tallies_rebuild`` recounts them from the responses."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    stock_class = models.CharField(max_length=20, choices=StockClass.choices)
    question = models.CharField(max_length=4)
    answer = models.CharField(max_length=20)
    filter_answer = models.CharField(max_length=10, blank=True)
    responses = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "stock_class", "question", "answer", "filter_answer"],
                name="engagement_tally_one_row_per_answer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} {self.answer}: {self.responses}"


# ---------------------------------------------------------------------------------------------
# "How did we do?": a short survey after a repair, a complaint, an ASB case or a move-in
# ---------------------------------------------------------------------------------------------


class CaseSurveyKind(models.TextChoices):
    REPAIR = "repair", "A repair"
    COMPLAINT = "complaint", "A complaint"
    ASB = "asb", "A report of anti-social behaviour"
    MOVE_IN = "move_in", "Moving into a new home"


class CaseSurvey(models.Model):
    """One "how did we do?" question to the person whose case was just completed or closed
    (``engagement.case_surveys``), answered at most once. The case is named by its type and
    id, never by a foreign key to another app; reports count answers and name nobody.

    ``about_sensitive_case``: the case is one only its reporter may see (every ASB case), so
    nothing made from the answer may be seen by the rest of the household."""

    kind = models.CharField(max_length=20, choices=CaseSurveyKind.choices)
    customer = models.ForeignKey("tenancy.Customer", on_delete=models.PROTECT, related_name="+")
    case_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case_id = models.PositiveBigIntegerField()
    about_sensitive_case = models.BooleanField(default=False)
    invited_at = models.DateTimeField()

    answered_at = models.DateTimeField(null=True, blank=True)
    satisfaction = models.CharField(max_length=20, choices=Satisfaction.choices, blank=True)
    comments = models.TextField(blank=True)
    consent_to_follow_up = models.BooleanField(default=False)
    followed_up_as = models.CharField(max_length=20, blank=True, editable=False)
    followed_up_reference = models.CharField(max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ["-invited_at", "-id"]
        verbose_name = "how did we do? survey"
        indexes = [
            models.Index(fields=["customer", "answered_at"], name="engagement_casesurvey_cust_idx"),
            models.Index(fields=["invited_at"], name="engagement_casesurvey_inv_idx"),
        ]
        constraints = [
            # One survey per case, so one person is never asked (or counted) twice for it.
            models.UniqueConstraint(
                fields=["case_type", "case_id"], name="engagement_casesurvey_once_per_case"
            ),
            models.CheckConstraint(
                name="engagement_casesurvey_answer_when_answered",
                condition=Q(answered_at__isnull=True, satisfaction="")
                | (Q(answered_at__isnull=False) & ~Q(satisfaction="")),
            ),
        ]

    def __str__(self) -> str:
        return f"How did we do? ({self.get_kind_display()})"
