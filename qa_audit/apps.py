from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig as BaseAdminConfig
from django.db.models.signals import post_migrate


class AdminConfig(BaseAdminConfig):
    default_site = "qa_audit.admin_site.QAAdminSite"


class QAAuditConfig(AppConfig):
    name = "qa_audit"
    verbose_name = "Service"

    def ready(self):
        from .schedules import install_default_schedules

        post_migrate.connect(install_default_schedules, sender=self)
