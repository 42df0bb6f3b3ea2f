"""The one role check for views: every app's permission functions plug into it."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(test):
    """A view decorator: visitors are sent to log in; members for whom ``test(user)`` is false
    get a 403. ``test`` is one of the apps' permission functions (``is_organiser``, …)."""

    def decorator(view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(checked)

    return decorator
