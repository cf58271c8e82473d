"""The staff queues on a 1280 px laptop: what a caseworker needs first (when a case is due,
whether it is overdue, its status) is on screen without scrolling sideways."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kernel.roles import Role
from tests.browser.helpers import sign_in_with_cookie
from tests.complaints.factories import receive
from tests.enquiries.factories import request_callback, submit_enquiry
from tests.factories import StaffFactory
from tests.repairs.conftest import report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

LAPTOP = {"width": 1280, "height": 800}
FIRST_COLUMNS = ("due", "clock", "status_label")


@pytest.fixture
def one_case_in_every_queue(tenant_a):
    report(tenant_a)
    receive(tenant_a)
    submit_enquiry(tenant_a)
    request_callback(tenant_a)


@pytest.mark.parametrize(
    "queue",
    [
        "admin:repairs_repair_changelist",
        "admin:complaints_complaint_changelist",
        "admin:enquiries_enquiry_changelist",
        "admin:enquiries_callback_changelist",
    ],
)
def test_due_overdue_and_status_are_on_screen_at_1280_px(
    page, live_server, one_case_in_every_queue, queue
):
    manager = StaffFactory(roles=[Role.MANAGER, Role.CUSTOMER_SERVICES])
    sign_in_with_cookie(page, manager, live_server.url)
    page.set_viewport_size(LAPTOP)

    response = page.goto(reverse(queue))

    assert response.status == 200
    for column in FIRST_COLUMNS:
        header = page.locator(f"#result_list th.column-{column}")
        assert header.count() == 1, f"no {column} column"
        hidden_by = header.evaluate(VISIBLE_AREA_MISSES)
        assert hidden_by is None, f"{column} is out of sight: {hidden_by}"


# Where a header is cut off: by the window, or by a box around it that scrolls or clips (the
# admin's table scrolls sideways inside its own box, so a bounding box alone would not tell).
VISIBLE_AREA_MISSES = """header => {
  const box = header.getBoundingClientRect();
  if (box.left < 0 || box.right > window.innerWidth) {
    return `the window (${box.left}-${box.right} of ${window.innerWidth})`;
  }
  for (let parent = header.parentElement; parent; parent = parent.parentElement) {
    const style = getComputedStyle(parent);
    if (style.overflowX === "visible") continue;
    const clip = parent.getBoundingClientRect();
    if (box.left < clip.left || box.right > clip.right + 0.5) {
      return `${parent.tagName}.${parent.className} (${box.left}-${box.right} in ${clip.left}-${clip.right})`;
    }
  }
  return null;
}"""
