"""The audit trail: who published, rejected, merged, hid or edited whose data, and when.

Django's admin log (LogEntry) is the store: staff read it in the admin (object history and the
"audit trail" list), moderators see members' edits in their queue. Services call ``record``.
"""

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.contenttypes.models import ContentType

__all__ = ["ADDITION", "CHANGE", "DELETION", "record"]


def record(*, user, obj, message: str, flag: int = CHANGE) -> LogEntry | None:
    """Note that ``user`` did ``message`` to ``obj``; nothing when no person acted (beat)."""
    if user is None or not getattr(user, "pk", None):
        return None
    return LogEntry.objects.create(
        user_id=user.pk,
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action_flag=flag,
        change_message=message[:4000],
    )
