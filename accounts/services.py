"""Changes to what people may see: roles, superuser status and links to cases.

The rules, in one place for the admin and every other path:

- nobody changes their own roles, their own superuser or staff status, or their own
  links to cases (being a team's manager, a service area's Head of Service or a child's
  social worker), in either direction: someone else must do it;
- only a superuser grants or removes superuser (and staff) status, and only a superuser
  changes a superuser's account;
- every change is recorded (``AccessChange``) with who, when, before and after, in the
  same transaction as the change; so are a change of someone's email address and a
  password set by someone else, the ways into another person's account.

Each rule is a ``*_problem`` function that returns the message to show, or None; forms
call it to show the message beside the field, and the writes call it again before
saving, so no path skips it.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from common.history import record_objects

from .models import AccessChange, AccessKind, Role, ServiceArea, Team, User, UserRole

OWN_ROLES = "You cannot change your own roles"
OWN_SUPERUSER = "You cannot change your own superuser status"
OWN_STAFF = "You cannot change your own staff status"
SUPERUSER_ONLY = "Only a superuser can grant or remove superuser status"
STAFF_SUPERUSER_ONLY = "Only a superuser can grant or remove staff status"
SUPERUSER_ACCOUNT = "Only a superuser can change a superuser's account"
ROLES_NOT_ALLOWED = "Only an Administrator can change people's roles"
LINK_TO_SELF = "You cannot make yourself {link}"
LINK_FROM_SELF = "You cannot remove yourself as {link}"

#: how each link reads in a message
LINK_NAMES = {
    AccessKind.TEAM_MANAGER: "the manager of a team",
    AccessKind.HEAD_OF_SERVICE: "the Head of Service of a service area",
    AccessKind.SOCIAL_WORKER: "a child's social worker",
}
NOBODY = "Nobody"
NO_ROLES = "No roles"
YES, NO = "Yes", "No"
PASSWORD_SET = "Set by {name}"


def _is_self(by: User, person: User | None) -> bool:
    return person is not None and person.pk is not None and person.pk == by.pk


def _name(user: User | None) -> str:
    return str(user) if user is not None else NOBODY


def _role_list(codes: Iterable[str]) -> str:
    codes = set(codes)
    return ", ".join(Role(code).label for code in Role.values if code in codes) or NO_ROLES


def access_change_record(
    *,
    person: User,
    kind: str,
    before: str,
    after: str,
    by: User | None,
    subject: str = "",
    by_name: str = "The system",
) -> AccessChange:
    """``by_name`` names who made a change no person made (``by`` None)."""
    return AccessChange.objects.create(
        person=person,
        person_name=str(person),
        kind=kind,
        subject=subject,
        before=before,
        after=after,
        changed_by=by,
        changed_by_name=_name(by) if by is not None else by_name,
    )


# Roles -------------------------------------------------------------------------------


def roles_change_problem(
    *, by: User, person: User, before: Iterable[str], after: Iterable[str]
) -> str | None:
    """Why ``by`` may not change ``person``'s roles from ``before`` to ``after``."""
    if set(before) == set(after):
        return None
    if _is_self(by, person):
        return OWN_ROLES
    if person.is_superuser and not by.is_superuser:
        return SUPERUSER_ACCOUNT
    if not by.has_perm("accounts.change_roles", person):
        return ROLES_NOT_ALLOWED
    return None


@transaction.atomic
def user_set_roles(
    *, person: User, roles: Iterable[str], by: User
) -> tuple[list[UserRole], list[UserRole]]:
    """Give ``person`` exactly ``roles``; returns the role rows added and removed.

    Refused (ValidationError) by the rules above; a change is recorded.
    """
    # The stored person, locked: one change of their roles at a time, judged on what is
    # saved rather than on a form's unsaved values.
    stored = User.objects.select_for_update().get(pk=person.pk)
    rows = list(UserRole.objects.filter(user=person))
    before = {row.role for row in rows}
    after = set(roles)
    problem = roles_change_problem(by=by, person=stored, before=before, after=after)
    if problem:
        raise ValidationError(problem)
    return _write_roles(person=person, rows=rows, after=after, by=by)


def _write_roles(
    *, person: User, rows: list[UserRole], after: set[str], by: User | None, by_name: str = ""
) -> tuple[list[UserRole], list[UserRole]]:
    """Replace the role rows ``rows`` with ``after``, with their history and an access
    change. The caller has locked the person and judged the change."""
    before = {row.role for row in rows}
    if before == after:
        return [], []
    removed = [row for row in rows if row.role not in after]
    UserRole.objects.filter(pk__in=[row.pk for row in removed]).delete()
    added = UserRole.objects.bulk_create(
        UserRole(user=person, role=role) for role in sorted(after - before)
    )
    record_objects(UserRole, added, change="+", user=by)
    person.__dict__.pop("role_codes", None)
    access_change_record(
        person=person,
        kind=AccessKind.ROLES,
        before=_role_list(before),
        after=_role_list(after),
        by=by,
        by_name=by_name,
    )
    return added, removed


@transaction.atomic
def user_roles_from_groups(
    *, person: User, managed: set[str], given: set[str], source: str
) -> tuple[list[UserRole], list[UserRole]]:
    """At single sign-on: the roles in ``managed`` become exactly those in ``given`` (the
    person's groups at the identity provider); other roles stay as set in the product.
    Recorded as an access change made by ``source``."""
    User.objects.select_for_update().get(pk=person.pk)
    rows = list(UserRole.objects.filter(user=person))
    before = {row.role for row in rows}
    after = (before - managed) | (given & managed)
    return _write_roles(person=person, rows=rows, after=after, by=None, by_name=source)


# Superuser and staff status ----------------------------------------------------------

_STATUS_MESSAGES = {
    "is_superuser": (AccessKind.SUPERUSER, OWN_SUPERUSER, SUPERUSER_ONLY),
    "is_staff": (AccessKind.STAFF, OWN_STAFF, STAFF_SUPERUSER_ONLY),
}


def status_change_problem(
    *, by: User, person: User, field: str, before: bool, after: bool
) -> str | None:
    """Why ``by`` may not change ``person``'s ``is_superuser`` or ``is_staff`` flag."""
    if bool(before) == bool(after):
        return None
    _, own, only = _STATUS_MESSAGES[field]
    if _is_self(by, person):
        return own
    if not by.has_perm("accounts.change_superuser"):
        return only
    return None


@transaction.atomic
def user_save(*, person: User, by: User) -> None:
    """Save a person edited in a form: a change of superuser or staff status is checked
    against the rules and recorded; a new person starts with neither."""
    stored = (
        User.objects.select_for_update()
        .filter(pk=person.pk)
        .values("is_superuser", "is_staff", "email")
        .first()
        if person.pk is not None
        else None
    ) or {"is_superuser": False, "is_staff": False, "email": None}
    errors = {}
    for field in _STATUS_MESSAGES:
        problem = status_change_problem(
            by=by, person=person, field=field, before=stored[field], after=getattr(person, field)
        )
        if problem:
            errors[field] = problem
    if errors:
        raise ValidationError(errors)
    person.save()
    for field, (kind, _, _) in _STATUS_MESSAGES.items():
        if bool(stored[field]) != bool(getattr(person, field)):
            access_change_record(
                person=person,
                kind=kind,
                before=YES if stored[field] else NO,
                after=YES if getattr(person, field) else NO,
                by=by,
            )
    if stored["email"] is not None and stored["email"] != person.email:
        access_change_record(
            person=person, kind=AccessKind.EMAIL, before=stored["email"], after=person.email, by=by
        )


def user_password_changed(*, person: User, by: User) -> None:
    """Record a password set for ``person`` by someone else (the admin's password page):
    whoever sets it can sign in as them."""
    if _is_self(by, person):
        return
    access_change_record(
        person=person,
        kind=AccessKind.PASSWORD,
        before="",
        after=PASSWORD_SET.format(name=_name(by)),
        by=by,
    )


# Links to cases ----------------------------------------------------------------------


def link_change_problem(
    *, by: User, kind: str, before_id: int | None, after_id: int | None
) -> str | None:
    """Why ``by`` may not move the link ``kind`` from one person to another."""
    if before_id == after_id:
        return None
    if after_id is not None and after_id == by.pk:
        return LINK_TO_SELF.format(link=LINK_NAMES[kind])
    if before_id is not None and before_id == by.pk:
        return LINK_FROM_SELF.format(link=LINK_NAMES[kind])
    return None


def link_change(
    *,
    by: User | None,
    kind: str,
    subject: str,
    field: str,
    before: User | None,
    after: User | None,
    by_name: str = "The system",
) -> None:
    """Check and record a link moving from ``before`` to ``after``: one record for each
    person whose access changes. The caller saves the object, in the same transaction.
    ``by`` None: made by the system ``by_name`` names (the case list), not a person."""
    before_id = before.pk if before is not None else None
    after_id = after.pk if after is not None else None
    if by is not None:
        problem = link_change_problem(by=by, kind=kind, before_id=before_id, after_id=after_id)
        if problem:
            raise ValidationError({field: problem})
    if before_id == after_id:
        return
    for person in (before, after):
        if person is not None:
            access_change_record(
                person=person,
                kind=kind,
                subject=subject,
                before=_name(before),
                after=_name(after),
                by=by,
                by_name=by_name,
            )


def stored_link_holder(model, pk: int | None, field: str) -> User | None:
    """Who holds the link ``field`` of the saved object now, with its row locked."""
    if pk is None:
        return None
    row = model.objects.select_for_update(of=("self",)).filter(pk=pk).select_related(field).first()
    return getattr(row, field) if row is not None else None


@transaction.atomic
def team_save(*, team: Team, by: User) -> Team:
    """Save a team; a change of team manager follows the link rules and is recorded."""
    link_change(
        by=by,
        kind=AccessKind.TEAM_MANAGER,
        subject=team.name,
        field="manager",
        before=stored_link_holder(Team, team.pk, "manager"),
        after=team.manager,
    )
    team.save()
    return team


@transaction.atomic
def service_area_save(*, area: ServiceArea, by: User) -> ServiceArea:
    """Save a service area; a change of Head of Service follows the link rules and is
    recorded."""
    link_change(
        by=by,
        kind=AccessKind.HEAD_OF_SERVICE,
        subject=area.name,
        field="head_of_service",
        before=stored_link_holder(ServiceArea, area.pk, "head_of_service"),
        after=area.head_of_service,
    )
    area.save()
    return area
