"""The words of our complaint letters: the standard paragraphs staff start from, and the plain
text of each letter as it is sent (by the customer's channel, and shown in the portal).

The text is plain, never HTML: it goes out by email, text message and post, and the portal shows
it escaped, so markup a customer typed into their complaint reaches nobody as markup.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from complaints.models import Complaint, ComplaintLetter, ComplaintPoint
from kernel.formatting import london_date

# The Housing Ombudsman's published contact details. Extension notices must carry them (Code
# 6.5), and so do our refusals and stage 2 responses: both are the point at which a resident may
# take the matter to the Ombudsman.
HOUSING_OMBUDSMAN_CONTACT = (
    "Housing Ombudsman Service, PO Box 152, Liverpool L33 7WQ. "
    "Telephone 0300 111 3000. Email info@housing-ombudsman.org.uk. "
    "Website www.housing-ombudsman.org.uk"
)


def complaint_url(complaint: Complaint) -> str:
    path = reverse("complaints:detail", kwargs={"reference": complaint.reference})
    return f"{settings.SITE_URL}{path}"


def default_escalation_text(complaint: Complaint) -> str:
    """How to ask for a Final Review, for a stage 1 response (Code 6.9)."""
    org = settings.ORGANISATION
    return (
        "If you are not happy with this response, you can ask for a Final Review. This is "
        "stage 2 of our complaints process and the last one. You do not need to give a "
        f"reason. Ask on your complaint page at {complaint_url(complaint)}, call us on "
        f"{org['office_phone']}, email {org['email']} or write to us at {org['address']}. "
        "A different member of staff from the one who answered you will review your "
        "complaint.\n\n"
        "You can also ask the Housing Ombudsman for advice at any time: "
        f"{HOUSING_OMBUDSMAN_CONTACT}."
    )


def default_ombudsman_text() -> str:
    """How to go to the Ombudsman, for a stage 2 (final) response."""
    return (
        "This is our final response: our complaints process is now complete. If you are still "
        "not happy, you can ask the Housing Ombudsman to look at your complaint. The "
        "Ombudsman is free, independent and impartial. You should normally contact them "
        "within 12 months of this letter. "
        f"{HOUSING_OMBUDSMAN_CONTACT}."
    )


def definition_text(points: list[ComplaintPoint], outcomes_sought: str) -> str:
    """The complaint definition as a customer reads it: numbered issues, then what they want."""
    lines = [f"{p.position}. {p.issue}" for p in points]
    text = "What your complaint is about:\n" + "\n".join(lines) if lines else ""
    if outcomes_sought.strip():
        text += f"\n\nWhat you would like us to do:\n{outcomes_sought.strip()}"
    return text.strip()


def _render(template: str, context: dict) -> str:
    context = {"org": settings.ORGANISATION, **context}
    return render_to_string(f"complaints/letters/{template}", context).strip() + "\n"


def acknowledgement_body(*, complaint: Complaint, stage: int, definition: str, respond_by) -> str:
    return _render(
        "acknowledgement.txt",
        {
            "complaint": complaint,
            "stage": stage,
            "definition": definition,
            "respond_by": london_date(respond_by) if respond_by else "",
            "url": complaint_url(complaint),
        },
    )


def extension_body(*, complaint: Complaint, stage: int, reason: str, new_due_at) -> str:
    return _render(
        "extension.txt",
        {
            "complaint": complaint,
            "stage": stage,
            "reason": reason,
            "new_date": london_date(new_due_at),
            "ombudsman": HOUSING_OMBUDSMAN_CONTACT,
            "url": complaint_url(complaint),
        },
    )


def refusal_body(*, complaint: Complaint) -> str:
    return _render(
        "refusal.txt",
        {
            "complaint": complaint,
            "ombudsman": HOUSING_OMBUDSMAN_CONTACT,
            "url": complaint_url(complaint),
        },
    )


def response_body(*, letter: ComplaintLetter) -> str:
    """The response as sent: every part the Code requires, in the order the Code lists them."""
    return _render(
        "response.txt",
        {
            "complaint": letter.complaint,
            "letter": letter,
            "decisions": list(letter.decisions.select_related("point")),
            "actions": list(letter.actions.all()),
            "url": complaint_url(letter.complaint),
        },
    )
