from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "engagement"
    verbose_name = "Involving you"

    def ready(self):
        from engagement.case_surveys import connect

        # "How did we do?" after a repair, a complaint, an ASB case or a move-in.
        connect()
