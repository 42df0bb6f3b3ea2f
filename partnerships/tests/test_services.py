from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from partnerships import services
from partnerships.models import DEFAULT_VALIDITY, ExpressionOfInterest, Opportunity
from stakeholders.tests.factories import StakeholderFactory

from .conftest import member_of, send_all
from .factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def _save(stakeholder, user, **fields):
    values = {
        "type": "offer",
        "category": "technology",
        "title": "Laser welding line",
        "summary": "We offer time on our laser welding line.",
        "countries_sought": ["DE", "IT"],
        "kinds_sought": ["sme"],
        "expires_on": timezone.localdate() + timedelta(days=60),
        "language": "de",
    }
    values.update(fields)
    return services.opportunity_save(stakeholder=stakeholder, user=user, **values)


def test_saved_opportunity_waits_for_review(org_at, owner, mechatronics):
    opportunity = _save(org_at, owner, sectors=[mechatronics])
    assert opportunity.state == Opportunity.State.PENDING
    assert opportunity.countries_sought_list == ["DE", "IT"]
    assert opportunity.kinds_sought == "|sme|"
    assert opportunity.slug == "laser-welding-line"
    assert not Opportunity.objects.open().exists()


def test_save_refuses_an_expiry_date_in_the_past_or_beyond_a_year(org_at, owner):
    with pytest.raises(ValidationError):
        _save(org_at, owner, expires_on=timezone.localdate())
    with pytest.raises(ValidationError):
        _save(org_at, owner, expires_on=timezone.localdate() + timedelta(days=400))


def test_save_refuses_an_unpublished_organisation(owner):
    pending = StakeholderFactory(state="pending")
    with pytest.raises(ValidationError):
        _save(pending, owner)


def test_approve_publishes_and_mails_the_author_in_their_language(org_at, owner, moderator):
    owner.contact.language = "de"
    owner.contact.save()
    opportunity = _save(org_at, owner)
    services.opportunity_approve(opportunity=opportunity, moderator=moderator)
    opportunity.refresh_from_db()
    assert opportunity.is_open and opportunity.published_at is not None
    (message,) = send_all()
    assert message.to == [owner.email]
    assert "Laser welding line" in message.subject
    assert "veröffentlicht" in message.subject or "published" in message.subject
    assert f"/partnerships/{opportunity.slug}/" in message.body


def test_reject_needs_a_reason_and_tells_it(org_at, owner, moderator):
    opportunity = _save(org_at, owner)
    with pytest.raises(ValidationError):
        services.opportunity_reject(opportunity=opportunity, reason=" ", moderator=moderator)
    services.opportunity_reject(opportunity=opportunity, reason="No summary.", moderator=moderator)
    opportunity.refresh_from_db()
    assert opportunity.state == Opportunity.State.REJECTED
    assert "No summary." in send_all()[0].body


def test_editing_a_published_opportunity_sends_it_back_to_review(offer, owner):
    _save(offer.stakeholder, owner, opportunity=offer, title="Changed")
    offer.refresh_from_db()
    assert offer.state == Opportunity.State.PENDING and offer.title == "Changed"


def test_close_ends_the_opportunity(offer, owner):
    services.opportunity_close(opportunity=offer, user=owner)
    offer.refresh_from_db()
    assert offer.state == Opportunity.State.CLOSED and not offer.is_open
    with pytest.raises(ValidationError):
        services.opportunity_close(opportunity=offer, user=owner)


def test_expired_is_derived_from_the_date(offer):
    Opportunity.objects.filter(pk=offer.pk).update(
        expires_on=timezone.localdate() - timedelta(days=1)
    )
    offer.refresh_from_db()
    assert offer.is_expired and offer.status_label == "Expired"
    assert not Opportunity.objects.open().exists()


def test_renew_reopens_for_the_default_validity_once_per_link(offer):
    old = timezone.localdate() - timedelta(days=3)
    Opportunity.objects.filter(pk=offer.pk).update(expires_on=old)
    offer.refresh_from_db()
    services.opportunity_renew(opportunity=offer, expected_expiry=old)
    offer.refresh_from_db()
    assert offer.expires_on == timezone.localdate() + DEFAULT_VALIDITY and offer.is_open
    with pytest.raises(ValidationError):
        services.opportunity_renew(opportunity=offer, expected_expiry=old)


def test_reminder_goes_once_per_expiry_date_with_the_renewal_link(offer, owner):
    today = timezone.localdate()
    Opportunity.objects.filter(pk=offer.pk).update(expires_on=today + timedelta(days=10))
    far = OpportunityFactory(stakeholder=offer.stakeholder, created_by=owner)
    assert far.expires_on > today + timedelta(days=14)
    assert services.opportunity_reminders_queue() == 1
    assert services.opportunity_reminders_queue() == 0
    (message,) = send_all()
    assert message.to == [owner.email]
    assert "/partnerships/renew/" in message.body
    offer.refresh_from_db()
    services.opportunity_renew(opportunity=offer)
    offer.refresh_from_db()
    Opportunity.objects.filter(pk=offer.pk).update(expires_on=today + timedelta(days=5))
    assert services.opportunity_reminders_queue() == 1  # a new expiry date, a new reminder


# --- Expressions of interest ---------------------------------------------------------------------


def test_interest_is_passed_on_without_the_senders_address(offer, owner, other):
    interest = services.interest_express(
        opportunity=offer, sender=other, message="We build sensors in Milan."
    )
    assert interest.sender_stakeholder == other.contact.stakeholder
    (message,) = send_all()
    assert message.to == [owner.email]
    assert "We build sensors in Milan." in message.body
    assert "Lombardy Robotics" in message.subject
    assert other.email not in message.body and other.contact.phone not in message.body
    assert other.email not in message.alternatives[0][0]


def test_interest_once_per_organisation_and_not_in_ones_own(offer, owner, other, org_it):
    services.interest_express(opportunity=offer, sender=other, message="Hi")
    colleague = member_of(org_it)
    with pytest.raises(ValidationError):
        services.interest_express(opportunity=offer, sender=colleague, message="Hi too")
    with pytest.raises(ValidationError):
        services.interest_express(opportunity=offer, sender=owner, message="Ourselves")
    assert ExpressionOfInterest.objects.count() == 1


def test_no_interest_in_a_closed_opportunity(offer, owner, other):
    services.opportunity_close(opportunity=offer, user=owner)
    with pytest.raises(ValidationError):
        services.interest_express(opportunity=offer, sender=other, message="Hi")


def test_accepting_gives_both_sides_each_others_details_as_agreed(offer, owner, other):
    interest = services.interest_express(
        opportunity=offer, sender=other, message="Hi", share_phone=True
    )
    send_all()
    mail.outbox.clear()
    services.interest_decide(interest=interest, user=owner, accept=True, share_phone=False)
    by_recipient = {m.to[0]: m for m in send_all()}
    to_sender, to_owner = by_recipient[other.email], by_recipient[owner.email]
    # The sender learns the owner's address, not the phone (the owner did not share it).
    assert owner.email in to_sender.body and owner.contact.phone not in to_sender.body
    # The owner learns the sender's address and phone (the sender shared it).
    assert other.email in to_owner.body and other.contact.phone in to_owner.body
    assert "Lombardy Robotics" in to_owner.body and "Tyrol Mechatronics" in to_sender.body
    with pytest.raises(ValidationError):
        services.interest_decide(interest=interest, user=owner, accept=False)


def test_declining_tells_the_sender_without_any_address(offer, owner, other):
    interest = services.interest_express(opportunity=offer, sender=other, message="Hi")
    send_all()
    mail.outbox.clear()
    services.interest_decide(interest=interest, user=owner, accept=False)
    (message,) = send_all()
    assert message.to == [other.email]
    assert owner.email not in message.body
    interest.refresh_from_db()
    assert interest.status == ExpressionOfInterest.Status.DECLINED
