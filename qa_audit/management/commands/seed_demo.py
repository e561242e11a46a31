"""Build the demo council: people, teams, children, and a year of QA activity."""

import datetime
import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, demo_email, seed_organisation
from accounts.models import ServiceArea, Team, User
from audits.demo import seed_children
from audits.models import Child


class Command(BaseCommand):
    help = (
        "Build a realistic demo council, deterministically: about 6 service areas, "
        "40 teams, 300 staff and 2,000 children's case records, with one known sign-in "
        "for each role. Does nothing if the demo is already there, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026, help="Random seed (default 2026).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the people, teams and records first, then build the demo again.",
        )
        parser.add_argument("--staff", type=int, default=300, help="Number of staff.")
        parser.add_argument("--children", type=int, default=2000, help="Number of children.")

    def handle(self, *args, seed, reset, staff, children, **options):
        if ServiceArea.objects.exists() and not reset:
            self.stdout.write("The demo council is already there; use --reset to rebuild it.")
            return
        rng = random.Random(seed)
        today = timezone.localdate()
        with transaction.atomic():
            if reset:
                self._delete_everything()
            organisation = seed_organisation(rng, staff_count=staff)
            seed_children(rng, organisation.teams, today=today, count=children)
        self._report(today)

    def _delete_everything(self):
        Child.objects.all().delete()
        User.objects.filter(is_superuser=False).delete()
        Team.objects.all().delete()
        ServiceArea.objects.all().delete()

    def _report(self, today: datetime.date):
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo council built: {ServiceArea.objects.count()} service areas, "
                f"{Team.objects.count()} teams, {User.objects.count()} people, "
                f"{Child.objects.count()} children."
            )
        )
        self.stdout.write(f"Every demo sign-in uses the password {DEMO_PASSWORD}")
        for local, *_, roles in DEMO_ACCOUNTS:
            self.stdout.write(f"  {demo_email(local):40} {', '.join(r.label for r in roles)}")
