import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.urls import reverse

from stakeholders.models import MODERATORS_GROUP, ORGANISERS_GROUP, Contact, User

from .factories import PASSWORD, ContactFactory, UserFactory

pytestmark = pytest.mark.django_db


NAME = {"first_name": "Nora", "last_name": "Newcomer", "accept_terms": "on"}


def _signup(client, email="new@example.org", password=PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password, **NAME},
    )


def test_sign_up_asks_for_a_name_and_the_site_never_shows_one_from_the_address(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "jane.q.private@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert response.status_code == 200  # the form again: the name is required
    assert not User.objects.exists()
    _signup(client, email="jane.q.private@example.org")
    user = User.objects.get()
    assert (user.first_name, user.last_name) == ("Nora", "Newcomer")
    # The accepted version of the rules and privacy notice, and when.
    assert user.terms_version == "2026-12-02" and user.terms_accepted_at is not None
    assert user.display_name == "Nora Newcomer"
    nameless = UserFactory(first_name="", last_name="", email="joe.private@example.org")
    assert nameless.display_name == "a member" and "joe" not in nameless.display_name


def test_roles_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        ORGANISERS_GROUP,
        MODERATORS_GROUP,
    }


def test_user_has_no_username_and_logs_in_with_email():
    user = User.objects.create_user("Someone@Example.org", PASSWORD)
    assert not hasattr(user, "username") or user.username is None
    assert user.email == "Someone@example.org"
    assert User.USERNAME_FIELD == "email"


def test_email_is_unique_whatever_its_case():
    from django.db import IntegrityError

    User.objects.create_user("twice@example.org", PASSWORD)
    with pytest.raises(IntegrityError):
        User.objects.create_user("TWICE@example.org", PASSWORD)


def test_signup_sends_verification_and_login_waits_for_it(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new@example.org"]
    assert message.subject.startswith("[AlpClusters] ")
    assert re.search(r"/accounts/confirm-email/[^/\s]+/", message.body)

    client.logout()
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": PASSWORD}
    )
    # Unverified: allauth re-sends the verification mail instead of logging in.
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_verified_member_logs_in_with_email(client):
    user = UserFactory()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_signup_with_a_known_address_creates_nothing_and_reveals_nothing(
    client, django_capture_on_commit_callbacks
):
    """allauth's enumeration protection: the page looks like any sign-up, the owner is told."""
    UserFactory(email="taken@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = _signup(client, email="Taken@Example.org")
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert User.objects.count() == 1
    assert EmailAddress.objects.count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["taken@example.org"]
    assert "already" in mail.outbox[0].body.lower()


def test_login_failures_are_rate_limited(client):
    user = UserFactory()
    pages = [
        client.post(reverse("account_login"), {"login": user.email, "password": "wrong"})
        for _ in range(6)
    ]
    assert "Too many failed login attempts" not in pages[0].content.decode()
    assert "Too many failed login attempts" in pages[-1].content.decode()
    # Even the right password is refused while the limit holds.
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert "_auth_user_id" not in client.session
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "account_login",
        "account_signup",
        "account_reset_password",
    ],
)
def test_account_pages_use_the_site_layout_and_its_form_markup(client, url_name):
    html = client.get(reverse(url_name)).content.decode()
    assert '<main id="main"' in html
    assert "form-control" in html  # common/forms.py: Bootstrap 5 markup
    assert "Alpine Space 2007–2013" in html


@pytest.mark.parametrize("url_name", ["account_email", "account_change_password"])
def test_member_account_pages_need_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    client.force_login(UserFactory())
    html = client.get(reverse(url_name)).content.decode()
    assert '<main id="main"' in html
    assert "form-control" in html


def test_verifying_a_mapped_address_claims_the_contact(client, django_capture_on_commit_callbacks):
    mapped = ContactFactory(email="mapped@cluster.example.org", user=None)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("account_signup"),
            {
                "email": "mapped@cluster.example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
                **NAME,
            },
        )
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)
    client.post(link)
    mapped.refresh_from_db()
    assert mapped.user is not None and mapped.user.email == "mapped@cluster.example.org"
    assert Contact.objects.count() == 1
    # The profile shows the claimed organisation.
    client.force_login(mapped.user)
    assert mapped.stakeholder.name in client.get(reverse("profile")).content.decode()


def test_sign_up_with_a_taken_address_does_the_same_work_as_a_new_one(
    client, monkeypatch, settings
):
    """The time of the answer must not tell whether an address is registered: both paths hash a
    password once (the hashing is what took ~400 ms against ~40 ms)."""
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    calls = []
    original = hashers.PBKDF2PasswordHasher.encode

    def counting(self, password, salt, iterations=None):
        calls.append(password)
        return original(self, password, salt, iterations)

    monkeypatch.setattr(hashers.PBKDF2PasswordHasher, "encode", counting)
    UserFactory(email="taken@example.org")
    calls.clear()
    taken = _signup(client, email="taken@example.org")
    taken_calls = len(calls)
    calls.clear()
    fresh = _signup(Client(), email="fresh@example.org")
    assert taken.status_code == fresh.status_code == 302
    assert taken.url == fresh.url
    assert taken_calls == len(calls) == 1
