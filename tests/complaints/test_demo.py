"""The demo seed makes one complaint at each step, and running it again changes nothing."""

from __future__ import annotations

from complaints.demo import seed
from complaints.models import Complaint, ComplaintLetter, ComplaintStatus, Feedback
from portal.demo import seed_people_and_homes
from sla.models import Deadline


def test_the_demo_seed_is_idempotent(db):
    demo = seed_people_and_homes()

    seed(demo)
    counts = (
        Complaint.objects.count(),
        ComplaintLetter.objects.count(),
        Deadline.objects.count(),
        Feedback.objects.count(),
    )
    seed(demo)

    assert (
        Complaint.objects.count(),
        ComplaintLetter.objects.count(),
        Deadline.objects.count(),
        Feedback.objects.count(),
    ) == counts
    assert set(Complaint.objects.values_list("status", flat=True)) == {
        ComplaintStatus.STAGE1_INVESTIGATING,
        ComplaintStatus.STAGE1_RESPONDED,
        ComplaintStatus.QUICK_RESOLUTION,
        ComplaintStatus.CLOSED,
        ComplaintStatus.STAGE2_INVESTIGATING,
    }
