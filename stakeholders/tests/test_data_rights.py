"""Data rights: a member downloads everything the portal holds about them and deletes their
account; a contact without an account does the same from the link in their mail."""

import io
import json
import zipfile

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alpcafes import services as alpcafe_services
from alpcafes.tests.factories import AlpCafeFactory
from blog import services as blog_services
from blog.models import Comment, Post, Support
from blog.tests.factories import CommentFactory, IdeaFactory, PostFactory
from outbox.models import Message
from stakeholders import services
from stakeholders.models import Contact, ContactMessage, Stakeholder, User
from stakeholders.unsubscribe import preferences_token

from .factories import PASSWORD, ContactFactory, StakeholderFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "navy").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def member(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    user = UserFactory(first_name="Dora", last_name="Data", email="dora.private@example.org")
    stakeholder = StakeholderFactory(name="Data Cluster")
    services.member_update_profile(
        user=user,
        first_name="Dora",
        last_name="Data",
        role="Manager",
        phone="+43 1 234",
        language="de",
        listing_consent=True,
        mail_consent=True,
        digest_frequency="weekly",
    )
    contact = Contact.objects.get(user=user)
    contact.stakeholder = stakeholder
    contact.save()
    alpcafe = AlpCafeFactory(
        title="Data AlpCafé", starts_at=timezone.now() + timezone.timedelta(hours=1)
    )
    participation = alpcafe_services.participation_register(alpcafe=alpcafe, contact=contact)
    alpcafe_services.participation_check_in(participation=participation)
    post = PostFactory(author=user, title="My cover story")
    post.cover = SimpleUploadedFile("cover.png", _png(), content_type="image/png")
    post.save()
    idea = IdeaFactory()
    blog_services.support_add(post=idea, user=user)
    CommentFactory(author=user, post=idea, body="Well said.")
    services.contact_message_send(
        sender=user, stakeholder=StakeholderFactory(), subject="Hello", body="A relayed message"
    )
    return user


def _read_zip(response) -> tuple[dict, list[str]]:
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    return json.loads(archive.read("data.json")), archive.namelist()


def test_download_my_data_holds_everything_about_me_and_my_uploads(client, member):
    client.force_login(member)
    response = client.get(reverse("my_data"))
    assert response["Content-Type"] == "application/zip"
    assert "no-store" in response["Cache-Control"]
    data, names = _read_zip(response)
    assert data["registry"]["account"]["email"] == "dora.private@example.org"
    assert data["registry"]["contact"]["phone"] == "+43 1 234"
    assert [e["consent"] for e in data["registry"]["contact"]["consent_history"]] == [
        "mail",
        "listing",
    ]
    assert data["registry"]["account"]["messages_relayed"][0]["body"] == "A relayed message"
    assert data["alpcafes"]["participations"][0]["alpcafe"] == "Data AlpCafé"
    assert data["alpcafes"]["participations"][0]["attended"]
    assert data["community"]["posts"][0]["title"] == "My cover story"
    assert data["community"]["comments"][0]["text"] == "Well said."
    assert len(data["community"]["supports"]) == 1
    assert any(
        m["kind"] == "Registration confirmation" for m in data["registry"]["mail_sent_to_you"]
    )
    assert "uploads/" + Post.objects.get(author=member).cover.name.rsplit("/", 1)[-1] in names
    # Someone else's data never: the relay's recipients are not named.
    assert "contact" not in json.dumps(data["registry"]["account"]["messages_relayed"])


def test_deleting_my_account_erases_me_and_keeps_what_counts(
    client, member, django_capture_on_commit_callbacks
):
    stakeholder = Stakeholder.objects.get(name="Data Cluster")
    involved_before = Stakeholder.objects.involved().count()
    idea = Support.objects.get(user=member).post
    client.force_login(member)
    response = client.post(reverse("account_delete"), {"password": "wrong"})
    assert response.status_code == 200 and User.objects.filter(pk=member.pk).exists()
    response = client.post(reverse("account_delete"), {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(email="dora.private@example.org").exists()
    contact = Contact.objects.get(stakeholder=stakeholder)
    assert (contact.first_name, contact.email, contact.phone) == ("", "", "")
    assert contact.erased_at and not contact.accepts_mail and not contact.consent_events.exists()
    assert not Message.objects.filter(contact=contact).exists()
    # What counts still counts.
    assert Stakeholder.objects.involved().count() == involved_before
    assert idea.supports.count() == 1
    post = Post.objects.get(title="My cover story")
    assert post.author is None
    assert "a former member" in client.get(post.get_absolute_url()).content.decode()
    assert Comment.objects.filter(body="Well said.", author=None).exists()
    assert not ContactMessage.objects.exists()
    # The public pages no longer name the person.
    public = client.get(stakeholder.get_absolute_url()).content.decode()
    assert "Dora" not in public and "dora.private" not in public
    # And no mail goes out to them any more.
    with django_capture_on_commit_callbacks(execute=True):
        services.contact_message_send(
            sender=UserFactory(), stakeholder=stakeholder, subject="Still there?", body="?"
        )
    assert mail.outbox == []


def test_a_contact_without_account_downloads_and_erases_from_the_link(client):
    contact = ContactFactory(first_name="Lina", email="lina.private@example.net")
    token = preferences_token(contact)
    data, _names = _read_zip(client.get(reverse("contact_data", args=[token])))
    assert data["registry"]["contact"]["email"] == "lina.private@example.net"
    assert "account" not in data["registry"]
    assert client.get(reverse("contact_erase", args=[token[:-2] + "xx"])).status_code == 404
    assert client.post(reverse("contact_erase", args=[token]), {}).status_code == 200  # unconfirmed
    contact.refresh_from_db()
    assert contact.email == "lina.private@example.net"
    client.post(reverse("contact_erase", args=[token]), {"confirm": "on"})
    contact.refresh_from_db()
    assert contact.email == "" and contact.erased_at
    # The link is dead afterwards.
    assert client.get(reverse("mail_preferences", args=[token])).status_code == 404
