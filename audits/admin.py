from django.contrib import admin
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import Child


@admin.register(Child)
class ChildAdmin(ObjectPermissionsModelAdmin):
    list_display = ["case_reference", "team", "legal_status", "social_worker", "is_open"]
    list_filter = ["legal_status", "is_open", "team__service_area"]
    search_fields = ["case_reference"]
    autocomplete_fields = ["team", "social_worker"]
    list_select_related = ["team", "social_worker"]
