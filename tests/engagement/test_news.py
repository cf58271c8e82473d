"""News on the home page, its own pages and the public RSS feed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from engagement.models import NewsItem
from engagement.services import EngagementRuleBroken, news_publish, news_save, news_withdraw
from tests.engagement.factories import NewsItemFactory
from tests.factories import CustomerWithLoginFactory, PropertyFactory, TenancyFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_published_news_for_everyone_but_not_drafts(client):
    NewsItemFactory(title="Fun day on the green")
    NewsItemFactory(title="Draft about bins", published_at=None)
    NewsItemFactory(title="Residents meeting", audience="residents")
    body = client.get("/").content.decode()
    assert "Fun day on the green" in body
    assert "Draft about bins" not in body
    assert "Residents meeting" not in body


def test_signed_in_residents_also_see_residents_news_of_their_tenure(client_a, tenant_a):
    NewsItemFactory(title="Residents meeting", audience="residents")
    NewsItemFactory(
        title="Shared owners service charge", audience="residents", tenure="shared_ownership"
    )
    body = client_a.get("/").content.decode()
    assert "Residents meeting" in body
    assert "Shared owners service charge" not in body


def test_home_page_news_costs_one_query_for_a_visitor(client, django_assert_max_num_queries):
    for n in range(5):
        NewsItemFactory(title=f"Item {n}")
    with django_assert_max_num_queries(1):
        client.get("/")


def test_rss_feed_lists_public_news_only(client):
    NewsItemFactory(title="Fun day on the green", summary="Stalls and games")
    NewsItemFactory(title="Residents meeting", audience="residents")
    response = client.get(reverse("engagement:news_feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    body = response.content.decode()
    assert "<title>Fun day on the green</title>" in body
    assert "Stalls and games" in body
    assert "Residents meeting" not in body
    assert client.post(reverse("engagement:news_feed")).status_code == 405


def test_news_page_for_residents_is_404_to_visitors_and_shown_to_residents(client, tenant_a):
    item = NewsItemFactory(title="Residents meeting", audience="residents")
    url = reverse("engagement:news_detail", kwargs={"item_id": item.pk})
    assert client.get(url).status_code == 404
    client.force_login(tenant_a.user)
    assert "Residents meeting" in client.get(url).content.decode()


def test_news_for_another_tenure_is_404(client, tenant_a):
    item = NewsItemFactory(audience="residents", tenure="shared_ownership")
    client.force_login(tenant_a.user)
    assert (
        client.get(reverse("engagement:news_detail", kwargs={"item_id": item.pk})).status_code
        == 404
    )
    shared_owner = CustomerWithLoginFactory(
        tenancy=TenancyFactory(property=PropertyFactory(tenure="shared_ownership"))
    )
    client.force_login(shared_owner.user)
    assert (
        client.get(reverse("engagement:news_detail", kwargs={"item_id": item.pk})).status_code
        == 200
    )


def test_a_draft_or_unknown_item_is_404(client):
    draft = NewsItemFactory(published_at=None)
    assert (
        client.get(reverse("engagement:news_detail", kwargs={"item_id": draft.pk})).status_code
        == 404
    )
    assert client.get("/get-involved/news/999999999999999999/").status_code == 404


def test_news_list_rejects_a_post(client):
    assert client.post(reverse("engagement:news_list")).status_code == 405


def test_staff_save_publish_and_withdraw(manager):
    item = news_save(
        item=NewsItem(title="Bins", summary="New days", body="From May"), actor=manager
    )
    assert item.published_at is None and item.created_by == manager
    news_publish(item=item, actor=manager)
    published_at = item.published_at
    assert published_at is not None
    news_publish(item=item, actor=manager)
    assert item.published_at == published_at  # publishing again keeps the first date
    news_withdraw(item=item, actor=manager)
    item.refresh_from_db()
    assert item.published_at is None


def test_an_item_for_one_tenure_must_be_for_signed_in_residents(manager):
    with pytest.raises(EngagementRuleBroken):
        news_save(
            item=NewsItem(title="Rent", summary="x", body="y", tenure="leasehold"), actor=manager
        )
    assert NewsItem.objects.count() == 0


def test_news_admin_is_for_customer_services_and_managers(
    client, customer_services_officer, repairs_officer
):
    item = NewsItemFactory(published_at=None)
    client.force_login(repairs_officer)
    assert client.get(reverse("admin:engagement_newsitem_changelist")).status_code == 403
    client.force_login(customer_services_officer)
    assert client.get(reverse("admin:engagement_newsitem_changelist")).status_code == 200
    client.post(
        reverse("admin:engagement_newsitem_changelist"),
        {"action": "publish", "_selected_action": [item.pk]},
    )
    item.refresh_from_db()
    assert item.published_at is not None


def test_news_published_or_withdrawn_shows_on_the_next_home_page(client, client_a, manager):
    """The home page's news is cached, and publishing or withdrawing retires the cached copy."""
    item = NewsItemFactory(title="Lift works next week", published_at=None)
    assert "Lift works next week" not in client.get("/").content.decode()
    assert "Lift works next week" not in client_a.get("/").content.decode()

    news_publish(item=item, actor=manager)
    assert "Lift works next week" in client.get("/").content.decode()
    assert "Lift works next week" in client_a.get("/").content.decode()

    news_withdraw(item=item, actor=manager)
    assert "Lift works next week" not in client.get("/").content.decode()
    assert "Lift works next week" not in client_a.get("/").content.decode()


def test_a_resident_back_on_the_home_page_costs_no_news_query(
    client_a, django_assert_max_num_queries
):
    NewsItemFactory(title="Fun day on the green")
    assert "Fun day on the green" in client_a.get("/").content.decode()
    # The session and the user (with the customer); news and the inspection from the cache.
    with django_assert_max_num_queries(2):
        body = client_a.get("/").content.decode()
    assert "Fun day on the green" in body
