"""``{{ account.balance_pence|pounds }}``: whole pence shown as pounds, in one style."""

from django import template

from rent.periods import pounds as pounds_text

register = template.Library()


@register.filter(is_safe=True)
def pounds(pence: int | None) -> str:
    return "" if pence is None else pounds_text(int(pence))


@register.filter(is_safe=True)
def pounds_unsigned(pence: int | None) -> str:
    return "" if pence is None else pounds_text(abs(int(pence)))
