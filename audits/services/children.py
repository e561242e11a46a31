"""Children's case records, as edited by hand (the admin).

Being a child's allocated social worker opens the child's accepted audits to that
person, so a change of social worker is a change of access: it follows the rules in
``accounts.services`` (nobody makes or unmakes themselves a child's social worker) and
is recorded with who, when, before and after.
"""

from django.db import transaction

from accounts.models import AccessKind, User
from accounts.services import link_change, stored_link_holder

from ..models import Child


@transaction.atomic
def child_save(*, child: Child, by: User) -> Child:
    """Save a case record; a change of social worker is checked and recorded."""
    link_change(
        by=by,
        kind=AccessKind.SOCIAL_WORKER,
        subject=child.case_reference,
        field="social_worker",
        before=stored_link_holder(Child, child.pk, "social_worker"),
        after=child.social_worker,
    )
    child.save()
    return child
