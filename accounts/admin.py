"""The admin for people, teams and service areas.

It only presents: who may change whose roles, superuser status and links to cases is
decided in ``accounts.services`` (the forms ask it, to show its message beside the
field, and the saves go through it, which records each change).
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms.models import BaseInlineFormSet
from rules.contrib.admin import ObjectPermissionsModelAdmin

from .models import AccessKind, DepartmentTeam, Role, ServiceArea, Team, User, UserRole
from .services import (
    link_change_problem,
    roles_change_problem,
    service_area_save,
    status_change_problem,
    team_save,
    user_password_changed,
    user_save,
    user_set_roles,
)

ACCESS_RULES = (
    "Nobody can change their own roles or superuser status. Only a superuser can grant "
    "or remove superuser status. Changes of roles, superuser status and email address, "
    "and passwords set by someone else, are recorded with who made them."
)


def _for(cls, user):
    """``cls`` knowing who is editing (``by``), for the rules its validation asks."""
    return type(cls.__name__, (cls,), {"by": user})


class EditorAwareAdminMixin:
    """Forms and inline formsets built by this admin know who is editing."""

    def get_form(self, request, obj=None, **kwargs):
        return _for(super().get_form(request, obj, **kwargs), request.user)


class EditorAwareInlineMixin:
    def get_formset(self, request, obj=None, **kwargs):
        formset = _for(super().get_formset(request, obj, **kwargs), request.user)
        formset.form = _for(formset.form, request.user)
        return formset


# People ------------------------------------------------------------------------------


class UserRoleFormSet(BaseInlineFormSet):
    by = None

    def roles(self) -> set[str]:
        """The roles the person will hold once the formset is saved."""
        return {
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not self._should_delete_form(form)
        }

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        stored = User.objects.filter(pk=self.instance.pk).first() if self.instance.pk else None
        before = set(stored.role_assignments.values_list("role", flat=True)) if stored else set()
        problem = roles_change_problem(
            by=self.by, person=stored or self.instance, before=before, after=self.roles()
        )
        if problem:
            raise ValidationError(problem)


class UserRoleInline(EditorAwareInlineMixin, admin.TabularInline):
    model = UserRole
    formset = UserRoleFormSet
    extra = 1


class StatusRulesMixin:
    """Superuser status changes only as ``accounts.services`` allows."""

    by = None

    def clean(self):
        cleaned = super().clean()
        if "is_superuser" in self.fields:
            problem = status_change_problem(
                by=self.by,
                person=self.instance,
                field="is_superuser",
                before=self.instance.is_superuser if self.instance.pk else False,
                after=cleaned.get("is_superuser", False),
            )
            if problem:
                self.add_error("is_superuser", problem)
        return cleaned


class UserCreationForm(StatusRulesMixin, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "first_name", "last_name")


class UserEditForm(StatusRulesMixin, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleFilter(admin.SimpleListFilter):
    """People by role, and those with no role yet (who can open nothing but My work)."""

    title = "role"
    parameter_name = "role"
    NONE = "none"

    def lookups(self, request, model_admin):
        return [*Role.choices, (self.NONE, "No role yet")]

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.NONE:
            return queryset.filter(role_assignments__isnull=True)
        if value in Role.values:
            return queryset.filter(role_assignments__role=value)
        return queryset


@admin.register(User)
class UserAdmin(EditorAwareAdminMixin, ObjectPermissionsModelAdmin, BaseUserAdmin):
    form = UserEditForm
    add_form = UserCreationForm
    inlines = [UserRoleInline]
    ordering = ["last_name", "first_name"]
    list_display = ["email", "first_name", "last_name", "job_title", "team", "is_active"]
    list_filter = ["is_active", "job_title", RoleFilter, "team__service_area"]
    search_fields = ["email", "first_name", "last_name"]
    list_select_related = ["team"]
    autocomplete_fields = ["team", "line_manager"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("first_name", "last_name", "job_title", "is_part_time")}),
        ("Place in the organisation", {"fields": ("team", "line_manager", "staff_id")}),
        (
            "Access",
            {
                "fields": ("is_active", "is_superuser", "last_login", "date_joined"),
                "description": ACCESS_RULES,
            },
        ),
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

    def save_model(self, request, obj, form, change):
        user_save(person=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not UserRole:
            return super().save_formset(request, form, formset, change)
        added, removed = user_set_roles(
            person=form.instance, roles=formset.roles(), by=request.user
        )
        # What the admin's change message and history read.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = added, [], removed
        return None

    def user_change_password(self, request, id, form_url=""):
        person = self.get_object(request, unquote(id))
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and person is not None:
                now = User.objects.filter(pk=person.pk).values_list("password", flat=True).get()
                if now != person.password:
                    user_password_changed(person=person, by=request.user)
        return response


# Teams and service areas -------------------------------------------------------------


class TeamForm(forms.ModelForm):
    by = None

    class Meta:
        model = Team
        fields = ["name", "service_area", "manager", "is_active"]

    def clean_manager(self):
        manager = self.cleaned_data.get("manager")
        problem = link_change_problem(
            by=self.by,
            kind=AccessKind.TEAM_MANAGER,
            before_id=self.instance.manager_id if self.instance.pk else None,
            after_id=manager.pk if manager else None,
        )
        if problem:
            raise ValidationError(problem)
        return manager


class ServiceAreaForm(forms.ModelForm):
    by = None

    class Meta:
        model = ServiceArea
        fields = ["name", "head_of_service", "is_active"]

    def clean_head_of_service(self):
        head = self.cleaned_data.get("head_of_service")
        problem = link_change_problem(
            by=self.by,
            kind=AccessKind.HEAD_OF_SERVICE,
            before_id=self.instance.head_of_service_id if self.instance.pk else None,
            after_id=head.pk if head else None,
        )
        if problem:
            raise ValidationError(problem)
        return head


class TeamInline(EditorAwareInlineMixin, admin.TabularInline):
    model = Team
    form = TeamForm
    extra = 0
    fields = ["name", "manager", "is_active"]
    autocomplete_fields = ["manager"]


@admin.register(ServiceArea)
class ServiceAreaAdmin(EditorAwareAdminMixin, ObjectPermissionsModelAdmin):
    form = ServiceAreaForm
    list_display = ["name", "head_of_service", "is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["head_of_service"]
    inlines = [TeamInline]

    def save_model(self, request, obj, form, change):
        service_area_save(area=obj, by=request.user)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Team:
            return super().save_formset(request, form, formset, change)
        teams = formset.save(commit=False)
        for team in formset.deleted_objects:
            team.delete()
        for team in teams:
            team_save(team=team, by=request.user)
        return None


@admin.register(Team)
class TeamAdmin(EditorAwareAdminMixin, ObjectPermissionsModelAdmin):
    form = TeamForm
    list_display = ["name", "service_area", "manager", "is_active"]
    list_filter = ["service_area", "is_active"]
    search_fields = ["name", "service_area__name"]
    autocomplete_fields = ["manager", "service_area"]
    list_select_related = ["service_area", "manager"]

    def save_model(self, request, obj, form, change):
        team_save(team=obj, by=request.user)


@admin.register(DepartmentTeam)
class DepartmentTeamAdmin(ObjectPermissionsModelAdmin):
    """The QA Lead's table of which team each department of the case list is."""

    list_display = ["department", "team"]
    search_fields = ["department", "team__name"]
    list_select_related = ["team__service_area"]
