from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from alpclusters import demo


class Command(BaseCommand):
    help = "Load the fictional demo data (idempotent: running it again changes nothing)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users (used by 'make run').",
        )

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and get_user_model().objects.exists():
            self.stdout.write("Demo data not loaded: the database already has users.")
            return
        with transaction.atomic():
            accounts = demo.seed_users()
        self.stdout.write(self.style.SUCCESS("Demo data loaded. Log in with:"))
        for email, role in accounts:
            self.stdout.write(f"  {role:<10} {email}  password: {demo.DEMO_PASSWORD}")
