"""``{% chat_link %}``: the "chat with us" link for every page's header or footer, saying
whether an adviser is online now. Reads the clock and the settings only: no query."""

from django import template
from django.utils import timezone

from enquiries.hours import chat_service_hours

register = template.Library()


@register.inclusion_tag("enquiries/_chat_link.html", takes_context=True)
def chat_link(context, link_class: str = "govuk-link"):
    hours = chat_service_hours()
    now = timezone.now()
    return {"chat_open": hours.is_open(now), "link_class": link_class, "user": context.get("user")}
