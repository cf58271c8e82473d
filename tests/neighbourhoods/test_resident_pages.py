"""What a resident sees of their neighbourhood: only their own block's and estate's published
inspections, services and partners; resident inspectors' scores beside the officer's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from neighbourhoods.models import ResidentInspector, ResidentScore
from neighbourhoods.services import (
    NeighbourhoodRuleBroken,
    inspection_publish,
    resident_scores_submit,
)
from tests.neighbourhoods.factories import (
    CommunalServiceFactory,
    EstateFactory,
    InspectionFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

HOME = reverse("neighbourhoods:home")


def _inspection_url(inspection, name="neighbourhoods:inspection"):
    return reverse(name, kwargs={"inspection_id": inspection.pk})


def test_resident_sees_their_areas_inspections_services_and_partners(
    client, resident_a, block_a, resident_b
):
    estate = EstateFactory(name="Riverside Estate", blocks=[block_a])
    InspectionFactory(block=block_a, summary="Block walk")
    InspectionFactory(block=None, estate=estate, summary="Estate walk")
    InspectionFactory(block=resident_b.tenancy.property.block, summary="Other block")
    InspectionFactory(block=block_a, published_at=None, summary="Draft")
    CommunalServiceFactory(block=block_a, contractor="Sparkle Cleaning Ltd")
    CommunalServiceFactory(block=resident_b.tenancy.property.block, contractor="Other Cleaners")
    PartnerFactory(name="Riverton Police Team")
    PartnerFactory(name="Estate food bank", estate=estate, kind="support")
    PartnerFactory(name="Another estate's club", estate=EstateFactory(), kind="other")

    client.force_login(resident_a.user)
    body = client.get(HOME).content.decode()
    assert body.count("/your-neighbourhood/inspections/") == 2
    assert "Riverside Estate" in body and "Alder Court" in body
    assert "Sparkle Cleaning Ltd" in body and "Other Cleaners" not in body
    assert "Riverton Police Team" in body and "Estate food bank" in body
    assert "Another estate&#x27;s club" not in body and "Another estate's club" not in body


def test_inspection_results_show_each_item_for_the_residents_of_the_area(
    client, resident_a, block_a
):
    inspection = InspectionFactory(block=block_a, scored=2)
    client.force_login(resident_a.user)
    page = client.get(_inspection_url(inspection))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Fire safety in communal areas" in body and "two lights out" in body


def test_another_areas_inspection_and_a_draft_are_404(client, resident_a, resident_b, block_a):
    other = InspectionFactory(block=resident_b.tenancy.property.block)
    draft = InspectionFactory(block=block_a, published_at=None)
    client.force_login(resident_a.user)
    assert client.get(_inspection_url(other)).status_code == 404
    assert client.get(_inspection_url(draft)).status_code == 404
    assert client.get("/your-neighbourhood/inspections/99999999999999999999999/").status_code == 404


def test_anonymous_is_sent_to_sign_in_and_staff_are_refused(client, manager, block_a):
    inspection = InspectionFactory(block=block_a)
    for url in (HOME, _inspection_url(inspection)):
        response = client.get(url)
        assert response.status_code == 302 and "/account/login/" in response["Location"]
    client.force_login(manager)
    assert client.get(HOME).status_code == 403


def test_wrong_methods_are_rejected(client, resident_a, block_a):
    estate = EstateFactory(blocks=[block_a])
    client.force_login(resident_a.user)
    assert client.post(HOME).status_code == 405
    sign_up = reverse("neighbourhoods:inspector_sign_up", kwargs={"estate_id": estate.pk})
    assert client.get(sign_up).status_code == 405
    assert ResidentInspector.objects.count() == 0


def test_a_resident_signs_up_as_inspector_and_scores_beside_the_officer(
    client, resident_a, block_a
):
    estate = EstateFactory(name="Riverside Estate", blocks=[block_a])
    inspection = InspectionFactory(block=None, estate=estate, scored=4)
    client.force_login(resident_a.user)
    assert "Add your scores" not in client.get(_inspection_url(inspection)).content.decode()

    client.post(reverse("neighbourhoods:inspector_sign_up", kwargs={"estate_id": estate.pk}))
    assert ResidentInspector.objects.filter(customer=resident_a, estate=estate).exists()
    assert "Add your scores" in client.get(_inspection_url(inspection)).content.decode()

    scores = {
        "cleanliness": "2",
        "grounds": "3",
        "lighting": "1",
        "fly_tipping": "5",
        "graffiti": "4",
        "fire_safety": "3",
    }
    response = client.post(_inspection_url(inspection, "neighbourhoods:inspection_score"), scores)
    assert response.status_code == 302
    assert ResidentScore.objects.filter(customer=resident_a).count() == 6
    body = client.get(_inspection_url(inspection)).content.decode()
    assert "2.0 (1 resident)" in body
    assert "Add your scores" not in body


def test_a_missing_score_is_shown_with_the_others_kept(client, resident_a, block_a):
    estate = EstateFactory(blocks=[block_a])
    inspection = InspectionFactory(block=None, estate=estate)
    ResidentInspector.objects.create(
        customer=resident_a, estate=estate, signed_up_at="2026-11-01T10:00Z"
    )
    client.force_login(resident_a.user)
    page = client.post(
        _inspection_url(inspection, "neighbourhoods:inspection_score"), {"cleanliness": "2"}
    )
    body = page.content.decode()
    assert "There is a problem" in body and "Score lighting" in body
    assert 'value="2" checked="checked"' in " ".join(body.split())
    assert ResidentScore.objects.count() == 0


def test_a_resident_who_is_not_an_inspector_cannot_score(client, resident_a, block_a):
    estate = EstateFactory(blocks=[block_a])
    inspection = InspectionFactory(block=None, estate=estate)
    with pytest.raises(NeighbourhoodRuleBroken):
        resident_scores_submit(customer=resident_a, inspection=inspection, scores={"lighting": 3})
    assert ResidentScore.objects.count() == 0


def test_a_resident_cannot_sign_up_for_another_estate(client, resident_a, block_a):
    other = EstateFactory()
    client.force_login(resident_a.user)
    url = reverse("neighbourhoods:inspector_sign_up", kwargs={"estate_id": other.pk})
    assert client.post(url).status_code == 404
    assert ResidentInspector.objects.count() == 0


def test_scores_are_given_once(resident_a, block_a):
    estate = EstateFactory(blocks=[block_a])
    inspection = InspectionFactory(block=None, estate=estate)
    ResidentInspector.objects.create(
        customer=resident_a, estate=estate, signed_up_at="2026-11-01T10:00Z"
    )
    resident_scores_submit(customer=resident_a, inspection=inspection, scores={"lighting": 3})
    with pytest.raises(NeighbourhoodRuleBroken):
        resident_scores_submit(customer=resident_a, inspection=inspection, scores={"lighting": 5})
    assert ResidentScore.objects.get().score == 3


def test_home_page_shows_the_latest_inspection_of_the_residents_estate(
    client, resident_a, block_a, resident_b, django_assert_max_num_queries
):
    estate = EstateFactory(blocks=[block_a])
    InspectionFactory(block=block_a, inspected_on="2026-10-01")
    latest = InspectionFactory(block=None, estate=estate, inspected_on="2026-11-20")
    InspectionFactory(block=resident_b.tenancy.property.block, inspected_on="2026-12-01")
    client.force_login(resident_a.user)
    client.get("/")
    # The session and the user (with the customer); the news and the inspection come from the
    # cache, each a single query when not (the home and its estates as subqueries).
    with django_assert_max_num_queries(2):
        body = client.get("/").content.decode()
    assert _inspection_url(latest) in body


def test_an_inspection_published_shows_on_the_next_home_page(client, resident_a, block_a, manager):
    first = InspectionFactory(block=block_a, inspected_on="2026-10-01")
    client.force_login(resident_a.user)
    assert _inspection_url(first) in client.get("/").content.decode()
    newer = InspectionFactory(block=block_a, inspected_on="2026-11-20", published_at=None)
    inspection_publish(inspection=newer, actor=manager)
    assert _inspection_url(newer) in client.get("/").content.decode()


def test_a_home_without_a_block_has_an_empty_neighbourhood(client, tenant_a):
    client.force_login(tenant_a.user)
    body = client.get(HOME).content.decode()
    assert "No inspection results have been published for your area yet." in body
