"""Deterministic, idempotent demo data for local use. All names are fictional.

Each ``seed_*`` function may run any number of times and leaves the same rows behind.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP

DEMO_PASSWORD = "alpine-demo-2014"  # noqa: S105 — printed for local use; demo data only

# (e-mail, first name, last name, staff, groups)
DEMO_USERS = [
    ("admin@example.org", "Ada", "Amstutz", True, []),
    ("organiser@example.org", "Oskar", "Obermair", False, [ORGANISERS_GROUP]),
    ("moderator@example.org", "Mira", "Mlakar", False, [MODERATORS_GROUP]),
    ("member@example.org", "Marta", "Moser", False, []),
    ("member2@example.org", "Luca", "Lanzinger", False, []),
]


def seed_users() -> list[tuple[str, str]]:
    """Create the demo accounts with verified addresses; returns (e-mail, role) pairs."""
    User = get_user_model()
    created = []
    for email, first, last, staff, groups in DEMO_USERS:
        user, is_new = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=groups))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        role = "admin" if staff else (groups[0].lower().rstrip("s") if groups else "member")
        created.append((email, role))
    return created
