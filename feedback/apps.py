from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Feedback"

    def ready(self):
        from audits.extensions import register

        from .forms.audit_section import FeedbackFormSection

        register(FeedbackFormSection())
