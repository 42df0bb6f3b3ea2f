from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from common.cache import clear_own_cache


class Command(BaseCommand):
    help = (
        "Forgets everything the portal cached (pages, figures, sessions' copies), its own keys "
        "only: a Celery broker on the same Redis database keeps its queues. Run by restore.sh."
    )

    def handle(self, *args, **options):
        deleted = clear_own_cache()
        if deleted is None:
            raise CommandError(_("The cache (Redis) did not answer: nothing was cleared."))
        self.stdout.write(_("Cache cleared (%(count)d entries).") % {"count": deleted})
