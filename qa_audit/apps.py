from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.db.models.signals import post_migrate


class AdminConfig(BaseAdminConfig):
    default_site = "qa_audit.admin_site.QAAdminSite"


class QAAuditConfig(AppConfig):
    name = "qa_audit"
    verbose_name = "Service"

    def ready(self):
        from .defaults import install_defaults

        # No sender: this app has no models, so Django never sends post_migrate for it.
        # The receiver itself waits for the last app's signal (see qa_audit/defaults.py).
        post_migrate.connect(install_defaults, dispatch_uid="qa_audit.install_defaults")
