from django.apps import AppConfig


class DemoConfig(AppConfig):
    """An app only so that Django finds the ``load_demo`` command; it has no models."""

    name = "demo"
