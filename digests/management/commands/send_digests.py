import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digests import content as digest
from digests import services


class Command(BaseCommand):
    help = (
        "Queue the digests of one period, as Celery beat does (weekly on Monday 07:00, monthly on "
        "the 1st). Running it again for the same period sends nothing twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=["weekly", "monthly"], required=True)
        parser.add_argument(
            "--period-start",
            help="First day of the period (YYYY-MM-DD); default: the period that just ended.",
        )

    def handle(self, *args, frequency: str, period_start: str | None, **options):
        if period_start:
            try:
                start = dt.date.fromisoformat(period_start)
            except ValueError as error:
                raise CommandError(f"--period-start: {error}") from None
        else:
            start, _end = digest.last_complete_period(frequency, today=timezone.localdate())
        start, end = digest.period_for(frequency, start=start)
        queued = services.digests_queue(frequency=frequency, period_start=start)
        self.stdout.write(
            f"{frequency} digests for {start} – {end - dt.timedelta(days=1)}: {queued} queued."
        )
