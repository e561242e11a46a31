"""People and the organisation: users (sign in with email), roles, service areas, teams."""

from functools import cached_property

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from common.history import ChangeHistory


class JobTitle(models.TextChoices):
    DIRECTOR = "director", "Director"
    ASSISTANT_DIRECTOR = "assistant_director", "Assistant Director"
    HEAD_OF_SERVICE = "head_of_service", "Head of Service"
    SERVICE_MANAGER = "service_manager", "Service Manager"
    TEAM_MANAGER = "team_manager", "Team Manager"
    ADVANCED_PRACTITIONER = "advanced_practitioner", "Advanced Practitioner"
    IRO = "iro", "IRO"
    CP_CHAIR = "cp_chair", "CP Chair"
    QA_LEAD = "qa_lead", "QA Lead"
    PRINCIPAL_SOCIAL_WORKER = "principal_social_worker", "Principal Social Worker"
    SOCIAL_WORKER = "social_worker", "Social Worker"
    BUSINESS_SUPPORT = "business_support", "Business Support"
    AMBASSADOR = "ambassador", "Ambassador"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data Protection Officer"


class Role(models.TextChoices):
    AUDITOR = "auditor", "Auditor"
    MODERATOR = "moderator", "Moderator"
    TEAM_MANAGER = "team_manager", "Team Manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of Service"
    QA_LEAD = "qa_lead", "QA Lead"
    LEADER = "leader", "Leader"
    AMBASSADOR = "ambassador", "Ambassador"
    ADMINISTRATOR = "administrator", "Administrator"
    DATA_PROTECTION_OFFICER = "data_protection_officer", "Data Protection Officer"


class ServiceArea(models.Model):
    name = models.CharField(max_length=120, unique=True)
    head_of_service = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_service_areas",
        help_text="The Head of Service accountable for this service area.",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Team(models.Model):
    name = models.CharField(max_length=120)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="teams")
    manager = models.ForeignKey(
        "User",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="managed_teams",
        verbose_name="team manager",
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service_area__name", "name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "service_area", name="team_name_unique_in_service_area"
            )
        ]

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields["is_superuser"] = True
        extra_fields["is_staff"] = True
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("email address", unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    job_title = models.CharField(max_length=40, choices=JobTitle.choices, blank=True)
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    is_part_time = models.BooleanField(
        default=False, help_text="Part-time staff audit on alternate months."
    )
    staff_id = models.CharField(
        "staff ID",
        max_length=40,
        unique=True,
        null=True,
        blank=True,
        help_text="Their ID in the case management system (the case list's prof_staff_id): "
        "children whose worker has this ID are allocated to them.",
    )
    is_active = models.BooleanField(default=True)
    # Kept for Django's createsuperuser; admin access is decided by roles.
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        ordering = ["last_name", "first_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self):
        return self.first_name

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The user's roles, read once per request."""
        if not self.pk or not self.is_active:
            return frozenset()
        return frozenset(self.role_assignments.values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return bool(self.role_codes.intersection(roles))

    @property
    def role_labels(self) -> list[str]:
        return [Role(code).label for code in Role.values if code in self.role_codes]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    history = ChangeHistory()

    class Meta:
        ordering = ["role"]
        verbose_name = "role"
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="user_role_unique"),
        ]

    def __str__(self):
        return self.get_role_display()


class AccessKind(models.TextChoices):
    """What gives a person access: their roles, superuser status, or a link to cases;
    and what lets someone else into their account: its email address and password."""

    ROLES = "roles", "Roles"
    SUPERUSER = "superuser", "Superuser status"
    STAFF = "staff", "Staff status"
    EMAIL = "email", "Email address"
    PASSWORD = "password", "Password"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of Service"
    SOCIAL_WORKER = "social_worker", "Child's social worker"
    API_TOKEN = "api_token", "API token"


class AccessChange(models.Model):
    """One change to what a person may see: who, when, before and after.

    Written by the services that make the change (``accounts.services``), in the same
    transaction. Names are kept as they were at the time, so the record outlives the
    people in it.
    """

    person = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="access_changes"
    )
    person_name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=AccessKind.choices)
    subject = models.CharField(
        max_length=200,
        blank=True,
        help_text="The team, service area or child the link is to; empty for roles.",
    )
    before = models.CharField(max_length=300)
    after = models.CharField(max_length=300)
    changed_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, related_name="access_changes_made"
    )
    changed_by_name = models.CharField(max_length=200)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [
            models.Index(fields=["-changed_at", "-id"], name="access_change_recent"),
            models.Index(fields=["person", "-changed_at"], name="access_change_person"),
        ]

    def __str__(self):
        return f"{self.person_name}: {self.get_kind_display()} {self.before} → {self.after}"


class ApiToken(models.Model):
    """A personal API token, for Power BI and scripts: it reads what its owner may read
    and nothing more, only with GET, until it expires or is revoked. Only its SHA-256
    digest is kept; the token itself is shown once, when it is created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100, help_text="What the token is for.")
    prefix = models.CharField(max_length=12, help_text="Its first characters, to recognise it.")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def state(self, now=None) -> str:
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at:
            return "expired"
        return "active"


class DepartmentTeam(models.Model):
    """Which of our teams a department (or team) of the case management system is, as
    the case list names it: kept by the QA Lead."""

    department = models.CharField(
        max_length=200,
        help_text="As the case list writes it (invo_professional_team or "
        "prof_professional_department).",
    )
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="departments")

    class Meta:
        ordering = ["department"]
        verbose_name = "case list department"
        constraints = [models.UniqueConstraint(Lower("department"), name="department_team_once")]

    def __str__(self):
        return f"{self.department} → {self.team}"
