from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import ServiceArea, Team, User, UserRole


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(ObjectPermissionsModelAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [UserRoleInline]
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "job_title", "team", "is_active"]
    list_filter = ["is_active", "job_title", "role_assignments__role", "team__service_area"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["team"]
    autocomplete_fields = ["team", "line_manager"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "job_title", "is_part_time")}),
        ("Place in the organisation", {"fields": ("team", "line_manager")}),
        ("Access", {"fields": ("is_active", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    filter_horizontal = []


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0
    fields = ["name", "manager", "is_active"]
    autocomplete_fields = ["manager"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "head_of_service", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["head_of_service"]
    inlines = [TeamInline]


@admin.register(Team)
class TeamAdmin(ObjectPermissionsModelAdmin):
    list_display = ["name", "service_area", "manager", "is_active"]
    list_filter = ["service_area", "is_active"]
    search_fields = ["name", "service_area__name"]
    autocomplete_fields = ["manager", "service_area"]
    list_select_related = ["service_area", "manager"]
