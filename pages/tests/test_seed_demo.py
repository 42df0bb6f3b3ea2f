import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from stakeholders.demo import DEMO_PASSWORD
from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP

pytestmark = pytest.mark.django_db


def _snapshot():
    User = get_user_model()
    return sorted(
        (u.email, u.is_staff, tuple(g.name for g in u.groups.all()), u.password)
        for u in User.objects.prefetch_related("groups")
    )


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys):
    call_command("seed_demo")
    first = _snapshot()
    out = capsys.readouterr().out
    call_command("seed_demo")
    assert _snapshot() == first
    assert "organiser@example.org" in out and DEMO_PASSWORD in out


def test_seed_demo_gives_each_role_a_working_login(client):
    call_command("seed_demo")
    User = get_user_model()
    assert User.objects.get(email="admin@example.org").is_superuser
    assert User.objects.filter(groups__name=ORGANISERS_GROUP).exists()
    assert User.objects.filter(groups__name=MODERATORS_GROUP).exists()
    response = client.post(
        "/accounts/login/", {"login": "moderator@example.org", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_seed_demo_if_empty_leaves_an_existing_database_alone(capsys):
    get_user_model().objects.create_user("someone@example.org", "x")
    call_command("seed_demo", "--if-empty")
    assert get_user_model().objects.count() == 1
    assert "already has users" in capsys.readouterr().out
