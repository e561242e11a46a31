"""Build the demo council: people, teams, children, and a year of QA activity."""

import datetime
import random

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from accounts.demo import (
    DEMO_ACCOUNTS,
    DEMO_FIRST_STEPS,
    DEMO_PASSWORD,
    demo_email,
    seed_organisation,
)
from accounts.models import ServiceArea, Team, User
from actions.demo import delete_actions_data, seed_actions
from audits.demo import seed_audit_year, seed_children, seed_late_return, seed_other_audits
from audits.models import (
    AllocationRound,
    Audit,
    AuditStatus,
    Child,
    Exemption,
    ImportJob,
    MultiAgencyAudit,
    PracticeObservation,
    SampleAudit,
)
from audits.template_library import install_standard_templates
from common.dates import financial_year, financial_year_start
from feedback.demo import delete_feedback_data, seed_feedback
from feedback.demo_ambassadors import delete_ambassador_data, seed_ambassador_reviews
from feedback.selectors import feedback_figures
from moderation.demo import delete_moderation_data, seed_moderation
from outbox.models import OutboxEmail
from reporting.demo import delete_reports_data, seed_reports

#: the demo's emails are files a person can open, never mail to its made-up people
DEMO_EMAIL = "django.core.mail.backends.filebased.EmailBackend"
#: the case management system's extract the demo's children came from, under var/
DEMO_EXTRACT = "demo-case-list.zip"


class Command(BaseCommand):
    help = (
        "Build a realistic demo council, deterministically: about 6 service areas, "
        "40 teams, 300 staff and 2,000 children's case records, with one known sign-in "
        "for each role, the standard audit templates and a year of audits, samples and "
        "observations ending today. Does nothing if the demo is already there, unless "
        "--reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the people, teams, records and audits first, then build the demo again.",
        )
        parser.add_argument("--staff", type=int, default=300, help="Number of staff.")
        parser.add_argument("--children", type=int, default=2000, help="Number of children.")
        parser.add_argument(
            "--url",
            help="The address the site is served on: ends by saying to open it, with the "
            "demo sign-ins and what each is for (also when the demo is already there).",
        )
        parser.add_argument(
            "--parts",
            choices=["all", "audits"],
            default="all",
            help="'audits' builds the people, children and audits only, without moderation "
            "and actions (default: all).",
        )

    def handle(self, *args, seed, reset, staff, children, parts, url=None, **options):
        if ServiceArea.objects.exists() and not reset:
            self.stdout.write("The demo council is already there; use --reset to rebuild it.")
            if url:
                self._where_to_go(url)
            return
        rng = random.Random(seed)
        # The audit year has its own generator, so the people and children do not change
        # when the audit demo does.
        audit_rng = random.Random(f"audits-{seed}")
        today = timezone.localdate()
        # The demo's emails go through the outbox like any other; they are sent as the
        # transaction commits (inside this block) and written as files to var/mail/.
        mail_dir = getattr(settings, "EMAIL_FILE_PATH", None) or str(settings.VAR_DIR / "mail")
        with (
            override_settings(EMAIL_BACKEND=DEMO_EMAIL, EMAIL_FILE_PATH=mail_dir),
            transaction.atomic(),
        ):
            if reset:
                self._delete_everything()
            organisation = seed_organisation(rng, staff_count=staff)
            seed_children(
                rng,
                organisation.teams,
                today=today,
                count=children,
                keep_extract=settings.VAR_DIR / DEMO_EXTRACT,
            )
            install_standard_templates()
            year = seed_audit_year(audit_rng, today)
            seed_other_audits(audit_rng, today)
            if parts == "all":
                seed_moderation(random.Random(f"moderation-{seed}"), today)
                seed_actions(random.Random(f"actions-{seed}"), today)
                feedback = seed_feedback(random.Random(f"feedback-{seed}"), today)
                feedback["ambassadors"] = seed_ambassador_reviews(
                    random.Random(f"ambassadors-{seed}"), today
                )
                late_rng = random.Random(f"late-return-{seed}")
                reports = seed_reports(
                    today,
                    late_return=lambda period, at: seed_late_return(late_rng, today, period, at),
                )
        self._report(today, year)
        if parts == "all":
            self._report_feedback(today, feedback)
            self._report_reports(reports)
        if url:
            self._where_to_go(url)

    def _where_to_go(self, url: str):
        """Where to go and who to sign in as: the last thing ``make run`` says."""
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Open {url} and sign in as one of these people, each with the")
        )
        self.stdout.write(self.style.SUCCESS(f"password {DEMO_PASSWORD}:"))
        for local, *_ in DEMO_ACCOUNTS:
            self.stdout.write(f"  {demo_email(local):36} {DEMO_FIRST_STEPS[local]}")
        self.stdout.write("")

    def _delete_everything(self):
        # What refers to audits first, then audits (their rows cascade), then what refers
        # to people, then people.
        delete_reports_data()
        delete_ambassador_data()
        delete_feedback_data()
        delete_actions_data()
        OutboxEmail.objects.all().delete()  # the demo's emails, to its people
        delete_moderation_data()
        Audit.objects.filter(reaudit_of__isnull=False).update(reaudit_of=None)
        Audit.objects.all().delete()
        AllocationRound.objects.all().delete()
        Exemption.objects.all().delete()
        SampleAudit.objects.all().delete()
        MultiAgencyAudit.objects.all().delete()
        PracticeObservation.objects.all().delete()
        ImportJob.objects.all().delete()
        Child.objects.all().delete()
        User.objects.filter(is_superuser=False).delete()
        Team.objects.all().delete()
        ServiceArea.objects.all().delete()

    def _report(self, today: datetime.date, year):
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo council built: {ServiceArea.objects.count()} service areas, "
                f"{Team.objects.count()} teams, {User.objects.count()} people, "
                f"{Child.objects.count()} children."
            )
        )
        self.stdout.write(
            f"The children came from the case management system's extract in "
            f"var/{DEMO_EXTRACT}, through the case list (Audit programme, Update the case list)."
        )
        states = dict(
            Audit.objects.values_list("status").annotate(n=Count("pk")).order_by("status")
        )
        summary = ", ".join(
            f"{states[s.value]} {s.label.lower()}" for s in AuditStatus if s.value in states
        )
        self.stdout.write(f"{year.audits} audits in {year.rounds} monthly rounds: {summary}.")
        self.stdout.write(f"Every demo sign-in uses the password {DEMO_PASSWORD}")
        for local, *_, roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {demo_email(local):40} {', '.join(r.label for r in roles)}")
        if year.featured_social_worker is not None:
            self.stdout.write(
                f"  {year.featured_social_worker.email:40} Social worker who has replied to audits"
            )

    def _report_reports(self, seeded):
        labels = ", ".join(version.report.label for version in seeded.published)
        self.stdout.write(f"QA reports published for the whole organisation: {labels}.")
        version = seeded.regenerated
        if version is not None:
            self.stdout.write(
                f"  {version.report.label}: version {version.number} is a draft after "
                f"{version.changes['reasons']} since version {version.changes['from_version']}."
            )

    def _report_feedback(self, today: datetime.date, seeded: dict):
        year = financial_year(financial_year_start(today))
        figures = feedback_figures(year)
        reach = figures["reach"]
        children, parents = reach["children"], reach["parents_carers"]
        self.stdout.write(
            f"Family feedback: {seeded['feedback']} records, {seeded['links']} family links, "
            f"{seeded['quotes']} quotes picked. In {year.label}: {figures['records']} records "
            f"({figures['given']} gave feedback, {figures['not_obtained']} did not); of "
            f"{reach['completed_audits']} completed audits, parents or carers answered in "
            f"{parents['answered']} of {parents['audits']} ({parents['answered_pct']}%) and "
            f"children in {children['answered']} of {children['audits']} "
            f"({children['answered_pct']}%); median score {figures['scores']['median']}."
        )
        amb = seeded["ambassadors"]
        self.stdout.write(
            f"Ambassadors' reviews: {amb['samples']} monthly samples, {amb['reviews']} reviews "
            f"({amb['open']} waiting for the Ambassador)."
        )
        if seeded["try_token"]:
            self.stdout.write(f"  A family's link to try: /your-say/{seeded['try_token']}/")
