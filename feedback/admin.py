"""The admin: the QA Lead keeps the themes for quotes and the feedback settings here.
Feedback, links and quotes are changed only through the service's pages; the admin
never shows a family's words or a link's hash."""

from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import FeedbackSettings, QuoteTheme


@admin.register(FeedbackSettings)
class FeedbackSettingsAdmin(ObjectPermissionsModelAdmin):
    fields = ["link_expiry_days"]

    def has_add_permission(self, request):
        return not FeedbackSettings.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(QuoteTheme)
class QuoteThemeAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]

    def has_delete_permission(self, request, obj=None):
        # A theme in use is retired (not offered), never deleted, so reports keep it.
        return False
