from allauth.account.adapter import DefaultAccountAdapter


class PortalAccountAdapter(DefaultAccountAdapter):
    """Nobody signs up with an email alone: customers prove who they are with their tenancy
    reference (accounts.views.register) and staff accounts are made by an administrator."""

    def is_open_for_signup(self, request) -> bool:
        return False
