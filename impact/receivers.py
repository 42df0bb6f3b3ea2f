from django.dispatch import receiver

from stakeholders.services import stakeholders_merged

from . import services


@receiver(stakeholders_merged)
def move_partnerships_on_merge(sender, survivor, duplicates, **kwargs):
    """Initiative partnerships follow their stakeholder into the survivor of a merge."""
    services.partnerships_move(survivor=survivor, duplicates=duplicates)
