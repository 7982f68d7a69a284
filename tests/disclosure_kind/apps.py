from django.apps import AppConfig


class DisclosureKindConfig(AppConfig):
    """A disclosure model only the tests install, to show what a new kind takes."""

    name = "tests.disclosure_kind"
    label = "disclosure_kind"
