"""Authentication backends that read a member's groups with the member.

Every page a member sees asks which groups they are in (their menu shows the moderators' queues,
an AlpCafé its organisers' link): Django's backends load the user in one query and the groups
are asked in a second. These read the group names in the same query (a correlated subquery), so
a member's request costs one query less. They are Django's and allauth's backends otherwise.
"""

from functools import cache

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.db import connection
from django.db.models.expressions import RawSQL

from common.db import names_joined

from .models import User
from .permissions import remember_group_names

SEPARATOR = "\x1f"


def group_names_joined() -> RawSQL:
    """The user's group names joined by SEPARATOR (NULL for none)."""
    return names_joined(User.groups, SEPARATOR)


@cache
def _user_sql(vendor: str) -> str:
    """The SQL of the member's query, composed by the ORM once per process: composing it took
    as long as running it, on every request a member makes."""
    sql, params = (
        User._default_manager.annotate(group_names_joined=group_names_joined())
        .filter(pk=0)
        .query.sql_with_params()
    )
    if tuple(params) != (SEPARATOR, 0):  # the parameters get_user passes, in this order
        raise RuntimeError(f"unexpected parameters of the user query: {params!r}")
    return sql


class WithGroups:
    def get_user(self, user_id):
        try:
            user_id = int(user_id)
        except (TypeError, ValueError):
            return None
        sql = _user_sql(connection.vendor)
        user = next(iter(User._default_manager.raw(sql, [SEPARATOR, user_id])), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        joined = user.group_names_joined
        remember_group_names(user, joined.split(SEPARATOR) if joined else ())
        return user


class GroupsModelBackend(WithGroups, ModelBackend):
    """django.contrib.auth's ModelBackend, reading the groups with the user."""


class GroupsAllauthBackend(WithGroups, AuthenticationBackend):
    """allauth's backend, reading the groups with the user."""
