from django.dispatch import receiver

from stakeholders.services import stakeholders_merged

from . import services


@receiver(stakeholders_merged)
def move_endorsements_on_merge(sender, survivor, duplicates, **kwargs):
    """Endorsements follow their stakeholder into the survivor of a merge."""
    services.endorsements_move(survivor=survivor, duplicates=duplicates)
