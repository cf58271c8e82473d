"""Reads for accounts: what we hold about a person's sign-in (kernel/personal_data.py)."""

from __future__ import annotations

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator

from kernel import personal_data
from tenancy.models import Customer

PERSONAL_DATA_COVERAGE = personal_data.Coverage(
    included={
        "accounts.User": "the sign-in: email address, when it was made, the last sign-in",
        "account.EmailAddress": "the email addresses the sign-in has used and whether confirmed",
        "mfa.Authenticator": "which kind of authenticator is set up and when (never its secret)",
    },
    holds_none={
        "admin.LogEntry": "staff's own edits in the admin; what they did to a customer's case is "
        "on the case's events, which are in the pack",
    },
)


def personal_data_for(customer: Customer) -> personal_data.Part:
    """The person's sign-in, if they have one: never the password or an authenticator's
    secret."""
    user = customer.user
    if user is None:
        return personal_data.Part(area="Your sign-in")
    records = [
        personal_data.Record(
            key=f"accounts.User:{user.pk}",
            kind="Sign-in",
            title="Your sign-in to this website",
            fields=(
                ("Email address", user.email),
                ("Account made", personal_data.text(user.date_joined)),
                ("Last signed in", personal_data.text(user.last_login)),
                ("Active", personal_data.text(user.is_active)),
            ),
        )
    ]
    for address in EmailAddress.objects.filter(user=user).order_by("pk"):
        records.append(
            personal_data.Record(
                key=f"account.EmailAddress:{address.pk}",
                kind="Email address",
                title=address.email,
                fields=(
                    ("Email address", address.email),
                    ("Confirmed", personal_data.text(address.verified)),
                    ("Main address", personal_data.text(address.primary)),
                ),
            )
        )
    for authenticator in Authenticator.objects.filter(user=user).order_by("pk"):
        records.append(
            personal_data.Record(
                key=f"mfa.Authenticator:{authenticator.pk}",
                kind="Authenticator",
                title=str(authenticator.get_type_display()),
                fields=(("Set up", personal_data.text(authenticator.created_at)),),
            )
        )
    return personal_data.Part(area="Your sign-in", records=tuple(records))
