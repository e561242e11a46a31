from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self):
        from audits.signals import audit_submitted

        from .receivers import on_audit_submitted

        audit_submitted.connect(on_audit_submitted, dispatch_uid="moderation.loop_check")
