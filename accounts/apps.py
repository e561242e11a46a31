from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "People and organisation"

    def ready(self):
        from . import checks  # noqa: F401 (registers the single sign-on checks)
