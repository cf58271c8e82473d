from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance"

    def ready(self) -> None:
        # Each TSM's figures come from its area's provider; see performance.tsm.registry.
        from performance.tsm.providers import register_all

        register_all()
