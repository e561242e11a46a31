from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import OutboxEmail


@admin.register(OutboxEmail)
class OutboxEmailAdmin(ObjectPermissionsModelAdmin):
    """Read only. The text of an email is not shown here: people read their own under
    My emails, and others' only in the demo (SHOW_SENT_EMAILS), on Sent emails."""

    list_display = ["created_at", "kind", "to", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "subject"]
    exclude = ["body_text", "body_html"]
    readonly_fields = [
        f.name for f in OutboxEmail._meta.fields if f.name not in ("body_text", "body_html")
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
