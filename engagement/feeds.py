"""The public news feed (RSS 2.0): items for everyone, never those for residents only."""

from __future__ import annotations

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.views.decorators.http import require_GET

from engagement.models import NewsItem
from engagement.selectors import news_for_feed
from kernel.access import public


class NewsFeed(Feed):
    def title(self) -> str:
        return f"{settings.ORGANISATION['name']} news"

    def link(self) -> str:
        return reverse("engagement:news_list")

    def description(self) -> str:
        return f"News for residents of {settings.ORGANISATION['name']}."

    def items(self):
        return news_for_feed()

    def item_title(self, item: NewsItem) -> str:
        return item.title

    def item_description(self, item: NewsItem) -> str:
        return item.summary

    def item_link(self, item: NewsItem) -> str:
        return reverse("engagement:news_detail", kwargs={"item_id": item.pk})

    def item_pubdate(self, item: NewsItem):
        return item.published_at


news_feed = public(require_GET(NewsFeed()))
