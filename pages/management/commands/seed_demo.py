import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alpcafes import demo as alpcafes_demo
from blog import demo as blog_demo
from common.versions import DOMAINS, data_changed
from impact import demo as impact_demo
from outbox.models import Message
from partnerships import demo as partnerships_demo
from stakeholders import demo as stakeholders_demo


class Command(BaseCommand):
    help = (
        "Load the fictional demo data, each app seeding its own part in order (idempotent: "
        "running it again changes nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has users (used by 'make run').",
        )
        parser.add_argument(
            "--stakeholders",
            type=int,
            default=0,
            metavar="N",
            help="Also top the registry up to N generated published stakeholders (slugs "
            "'bulk-…'), for benchmarks; existing ones count towards N.",
        )

    def handle(self, *args, if_empty: bool, stakeholders: int, verbosity: int, **options):
        if stakeholders < 0:
            raise CommandError(_("--stakeholders must be zero or more."))
        if if_empty and get_user_model().objects.exists():
            self.stdout.write(_("Demo data not loaded: the database already has users."))
            return
        started_at = timezone.now()
        with transaction.atomic():
            accounts = stakeholders_demo.seed_users()
            registry = stakeholders_demo.seed_registry()
            alpcafes = alpcafes_demo.seed_alpcafes()
            blog = blog_demo.seed_blog()
            initiatives = impact_demo.seed_initiatives()
            partnerships = partnerships_demo.seed_partnerships()
            # What the services queued while seeding (confirmations, decisions) counts as sent:
            # the fictional addresses get no mail, and the outbox keeps the history.
            Message.objects.filter(state=Message.State.QUEUED, queued_at__gte=started_at).update(
                state=Message.State.SENT, sent_at=started_at, attempts=1
            )
        # Rows written directly (not through the services) leave cached pages and figures
        # stale: every one of them is made stale at once.
        for domain in DOMAINS:
            data_changed(domain)
        if stakeholders:
            started = time.monotonic()
            added = stakeholders_demo.seed_bulk_stakeholders(stakeholders)
            if verbosity >= 1:
                self.stdout.write(
                    _(
                        "Generated stakeholders: %(added)d added in %(seconds).1f s, "
                        "%(total)d in all."
                    )
                    % {
                        "added": added,
                        "seconds": time.monotonic() - started,
                        "total": stakeholders_demo.bulk_count(),
                    }
                )
        if verbosity < 1:
            return
        self.stdout.write(
            _(
                "Registry: %(published)d published and %(pending)d pending stakeholders in "
                "%(sectors)d sectors."
            )
            % registry
        )
        self.stdout.write(
            _(
                "AlpCafés: %(held)d held, %(upcoming)d upcoming; %(involved)d stakeholders "
                "took part."
            )
            % alpcafes
        )
        self.stdout.write(
            _(
                "Blog: %(posts)d posts (%(pending)d waiting for moderation), %(ideas)d ideas, "
                "%(comments)d comments, %(proposals)d proposals with %(endorsements)d "
                "endorsements."
            )
            % blog
        )
        self.stdout.write(
            _(
                "Earlier initiatives: %(initiatives)d, with %(partners)d partners (%(linked)d of "
                "them in the registry)."
            )
            % initiatives
        )
        self.stdout.write(
            _(
                "Partnerships: %(opportunities)d opportunities; 1:1 meetings at an AlpCafé with "
                "%(attendees)d participants, %(scheduled)d meetings scheduled."
            )
            % partnerships
        )
        self.stdout.write(self.style.SUCCESS(_("Demo data loaded. Log in with:")))
        for email, role in accounts:
            self.stdout.write(
                "  "
                + _("%(role)s %(email)s  password: %(password)s")
                % {
                    "role": f"{role:<10}",
                    "email": email,
                    "password": stakeholders_demo.DEMO_PASSWORD,
                }
            )
