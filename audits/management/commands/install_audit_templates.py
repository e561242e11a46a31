"""Install the standard audit templates, domains and grade descriptors."""

from django.core.management.base import BaseCommand

from audits.models import AuditTemplate
from audits.template_library import install_standard_templates


class Command(BaseCommand):
    help = (
        "Install the standard audit templates (Child Journey Audit, Case File Audit, "
        "Leaving Care Audit) with their domains and grade descriptors. Templates that "
        "exist already are left alone, so it is safe to run again."
    )

    def handle(self, *args, **options):
        before = set(AuditTemplate.objects.values_list("pk", flat=True))
        for template in install_standard_templates():
            state = "already installed" if template.pk in before else "installed"
            self.stdout.write(f"{template.name} (version {template.version}): {state}")
