"""Feedback from children, families and professionals: in an audit, on its own, or from
a family's own link."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.history import ChangeHistory


class Source(models.TextChoices):
    AUDIT_FORM = "audit_form", "In the audit"
    RECORDED = "recorded", "Recorded on its own"
    FAMILY_LINK = "family_link", "The family's own link"


class Respondent(models.TextChoices):
    CHILD = "child", "Child or young person"
    MOTHER = "mother", "Parent: mum"
    FATHER = "father", "Parent: dad"
    PARENT = "parent", "Parent"
    CARER = "carer", "Carer"
    FAMILY_MEMBER = "family_member", "Other family member"
    SCHOOL = "school", "Professional: school"
    POLICE = "police", "Professional: police"
    HEALTH = "health", "Professional: health"
    PROFESSIONAL = "professional", "Professional: other"


class RespondentGroup(models.TextChoices):
    """How the figures group who gave feedback."""

    CHILD = "child", "Children and young people"
    PARENT = "parent", "Parents"
    CARER = "carer", "Carers"
    FAMILY_MEMBER = "family_member", "Other family members"
    PROFESSIONAL = "professional", "Professionals"


RESPONDENT_GROUP = {
    Respondent.CHILD: RespondentGroup.CHILD,
    Respondent.MOTHER: RespondentGroup.PARENT,
    Respondent.FATHER: RespondentGroup.PARENT,
    Respondent.PARENT: RespondentGroup.PARENT,
    Respondent.CARER: RespondentGroup.CARER,
    Respondent.FAMILY_MEMBER: RespondentGroup.FAMILY_MEMBER,
    Respondent.SCHOOL: RespondentGroup.PROFESSIONAL,
    Respondent.POLICE: RespondentGroup.PROFESSIONAL,
    Respondent.HEALTH: RespondentGroup.PROFESSIONAL,
    Respondent.PROFESSIONAL: RespondentGroup.PROFESSIONAL,
}
#: respondents who count as "parents or carers" for the share of families answering
PARENT_OR_CARER = (Respondent.MOTHER, Respondent.FATHER, Respondent.PARENT, Respondent.CARER)


class AgeBand(models.TextChoices):
    UNDER_8 = "under_8", "Under 8"
    AGE_8_11 = "8_11", "8 to 11"
    AGE_12_15 = "12_15", "12 to 15"
    AGE_16_17 = "16_17", "16 to 17"
    AGE_18_PLUS = "18_plus", "18 or over"


def age_band_for(age: int | None) -> str:
    if age is None:
        return ""
    if age < 8:
        return AgeBand.UNDER_8
    if age < 12:
        return AgeBand.AGE_8_11
    if age < 16:
        return AgeBand.AGE_12_15
    if age < 18:
        return AgeBand.AGE_16_17
    return AgeBand.AGE_18_PLUS


class Channel(models.TextChoices):
    PHONE = "phone", "Phone"
    VISIT = "visit", "Visit"
    ONLINE = "online", "Online"
    FAMILY_LINK = "family_link", "The family's own link"


class Outcome(models.TextChoices):
    GIVEN = "given", "Gave feedback"
    NOT_OBTAINED = "not_obtained", "No feedback obtained"


class NotObtainedReason(models.TextChoices):
    NOT_APPROPRIATE = "not_appropriate", "Not appropriate"
    UNREACHABLE = "unreachable", "Unreachable after attempts"
    DECLINED = "declined", "Declined"
    OTHER = "other", "Other reason"


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"
    NOT_ANSWERED = "not_answered", "Not answered"


def _answer_field(label: str):
    return models.CharField(
        label, max_length=20, choices=Answer.choices, default=Answer.NOT_ANSWERED
    )


class FeedbackQuerySet(models.QuerySet):
    def counted(self):
        """Feedback that counts in figures: every family link answer and record made on
        its own, and rows of the audit form once the audit is completed (submitted or
        accepted), as audit figures count completed audits."""
        return self.filter(
            ~Q(source=Source.AUDIT_FORM) | Q(audit__status__in=("submitted", "accepted"))
        )


class Feedback(models.Model):
    source = models.CharField(max_length=20, choices=Source.choices)
    audit = models.ForeignKey(
        "audits.Audit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feedback",
    )
    # The audit's team when it was recorded, so figures by team stay true.
    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The row of the audit form it was entered in."
    )
    respondent = models.CharField(max_length=20, choices=Respondent.choices, blank=True)
    age_band = models.CharField(
        "age band", max_length=10, choices=AgeBand.choices, blank=True, help_text="For a child."
    )
    channel = models.CharField(max_length=20, choices=Channel.choices, blank=True)
    given_on = models.DateField("date", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    not_obtained_reason = models.CharField(
        "why none was obtained", max_length=20, choices=NotObtainedReason.choices, blank=True
    )
    attempts = models.PositiveSmallIntegerField(
        "attempts to reach them", null=True, blank=True, validators=[MaxValueValidator(99)]
    )
    reason_other = models.CharField("other reason", max_length=500, blank=True)

    listened = _answer_field("felt listened to")
    understood = _answer_field("felt understood")
    improved = _answer_field("the social worker's involvement improved things")
    important = _answer_field("the involvement felt important to them")
    involved = _answer_field("felt involved in the plan and in control")
    kept_in_touch = _answer_field("the worker was punctual and kept in touch")
    score = models.PositiveSmallIntegerField(
        "score out of 10",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(10)],
    )
    comments = models.TextField(blank=True)
    consent_to_quote = models.BooleanField("consent to be quoted anonymously", default=False)
    # Present exactly when consent is given; quotes refer to it, so the database refuses
    # a quote of feedback without consent, and refuses withdrawing consent under a quote.
    quote_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    recorded_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FeedbackQuerySet.as_manager()
    history = ChangeHistory(unrecorded=("updated_at",))

    class Meta:
        ordering = ["audit", "position", "pk"]
        verbose_name_plural = "feedback"
        indexes = [models.Index(fields=["given_on"]), models.Index(fields=["team", "given_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=10),
                name="feedback_score_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(consent_to_quote=True, quote_key__isnull=False)
                | Q(consent_to_quote=False, quote_key__isnull=True),
                name="feedback_quote_key_only_with_consent",
            ),
            models.CheckConstraint(
                condition=Q(source=Source.AUDIT_FORM)
                | (~Q(respondent="") & ~Q(channel="") & Q(given_on__isnull=False) & ~Q(outcome="")),
                name="feedback_complete_unless_audit_draft",
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.AUDIT_FORM)
                | Q(audit__isnull=False, position__isnull=False),
                name="feedback_audit_row_has_audit_and_position",
            ),
            models.CheckConstraint(
                condition=~Q(source=Source.FAMILY_LINK)
                | Q(channel=Channel.FAMILY_LINK, audit__isnull=False),
                name="feedback_link_answers_by_link",
            ),
            models.CheckConstraint(
                condition=Q(outcome=Outcome.GIVEN) | Q(score__isnull=True, consent_to_quote=False),
                name="feedback_no_score_or_consent_without_feedback",
            ),
            models.CheckConstraint(
                condition=Q(source=Source.AUDIT_FORM)
                | ~Q(not_obtained_reason=NotObtainedReason.UNREACHABLE)
                | Q(attempts__gte=1),
                name="feedback_unreachable_counts_attempts",
            ),
            models.UniqueConstraint(
                fields=["audit", "position"],
                condition=Q(position__isnull=False),
                name="feedback_one_row_per_position",
            ),
        ]

    def __str__(self):
        return f"Feedback {self.pk}"

    @property
    def group(self) -> str:
        return RESPONDENT_GROUP.get(self.respondent, "")

    @property
    def given(self) -> bool:
        return self.outcome == Outcome.GIVEN


class FeedbackSettings(models.Model):
    """The council's choices for family feedback; one row, edited in the admin."""

    link_expiry_days = models.PositiveIntegerField(
        "days a family's link works",
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="A link sent to a family stops working this many days after it is made.",
    )

    class Meta:
        verbose_name = "feedback settings"
        verbose_name_plural = "feedback settings"

    def __str__(self):
        return "Feedback settings"

    @classmethod
    def load(cls) -> "FeedbackSettings":
        obj, _ = cls.objects.get_or_create(pk=1)
        return obj
