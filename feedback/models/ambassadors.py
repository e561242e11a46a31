"""Ambassadors' reviews: care-experienced young people read a monthly sample of accepted
audits, anonymised, and say whether the practice is relational and child-centred."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


class HowChosen(models.TextChoices):
    NUMBER = "number", "A number of audits"
    SHARE = "share", "A share of the month's accepted audits"


class ReviewAnswer(models.TextChoices):
    YES = "yes", "Yes"
    PARTLY = "partly", "Partly"
    NO = "no", "No"


class ReviewStatus(models.TextChoices):
    OPEN = "open", "Open"
    SUBMITTED = "submitted", "Submitted"


#: (field name, the question as the Ambassador reads it), in the order asked
QUESTIONS = (
    ("relationship", "Is there a good relationship between the worker and the child?"),
    (
        "summary",
        "Is the case summary about the child, in language they would understand?",
    ),
    ("views", "Are the child's views drawn out, with direct work?"),
    (
        "likes",
        "Are the child's likes, dislikes, interests and achievements recorded?",
    ),
    (
        "language",
        "Is the language kind and free of jargon, so the child could follow the decisions?",
    ),
)


class AmbassadorSample(models.Model):
    """One month's draw of accepted audits for the Ambassadors."""

    month = models.DateField(unique=True, help_text="The first day of the month sampled.")
    how_chosen = models.CharField(max_length=10, choices=HowChosen.choices)
    amount = models.PositiveIntegerField(
        help_text="How many audits, or what percentage of the month's accepted audits."
    )
    available = models.PositiveIntegerField(
        default=0, help_text="Accepted audits that could be drawn when the sample was made."
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(how_chosen="number") | Q(amount__lte=100),
                name="ambassador_sample_share_at_most_100",
            ),
        ]

    def __str__(self):
        return f"Ambassadors' sample {self.month:%B %Y}"


def _answer_field():
    return models.CharField(max_length=10, choices=ReviewAnswer.choices, blank=True)


class AmbassadorReview(models.Model):
    """An Ambassador's answers on one audit of the sample."""

    sample = models.ForeignKey(AmbassadorSample, on_delete=models.CASCADE, related_name="reviews")
    audit = models.ForeignKey(
        "audits.Audit", on_delete=models.PROTECT, related_name="ambassador_reviews"
    )
    # Kept so the twelve-month rule is one indexed query on the child.
    child = models.ForeignKey("audits.Child", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="The sample's month.")
    ambassador = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="ambassador_reviews"
    )
    status = models.CharField(
        max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    hidden_names = models.TextField(
        blank=True,
        help_text="People's names to hide from the Ambassador (the child, family, others), "
        "one a line.",
    )
    hidden_places = models.TextField(
        blank=True, help_text="Schools, streets and other places to hide, one a line."
    )

    relationship = _answer_field()
    relationship_comments = models.TextField(blank=True)
    summary = _answer_field()
    summary_comments = models.TextField(blank=True)
    views = _answer_field()
    views_comments = models.TextField(blank=True)
    likes = _answer_field()
    likes_comments = models.TextField(blank=True)
    language = _answer_field()
    language_comments = models.TextField(blank=True)
    overall_comments = models.TextField(blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-month", "pk"]
        indexes = [models.Index(fields=["child", "month"])]
        constraints = [
            models.UniqueConstraint(fields=["sample", "audit"], name="ambassador_review_once"),
            models.CheckConstraint(
                condition=Q(status="open", submitted_at__isnull=True)
                | (
                    Q(status="submitted", submitted_at__isnull=False)
                    & ~Q(relationship="")
                    & ~Q(summary="")
                    & ~Q(views="")
                    & ~Q(likes="")
                    & ~Q(language="")
                ),
                name="ambassador_review_submitted_is_answered",
            ),
        ]

    def __str__(self):
        return f"Ambassador's review {self.pk}"
