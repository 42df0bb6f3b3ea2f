from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from outbox.models import Message
from outbox.services import message_preview
from stakeholders.services import contact_for_user

from . import content, services
from .forms import DigestPreviewForm
from .mail import DigestMail


@staff_member_required
def preview(request):
    """Any contact's digest for any period, as they would receive it; "send me a test" mails a
    copy to the staff member (through the outbox) and records nothing for the contact."""
    form = DigestPreviewForm(
        request.GET or None,
        initial={
            "frequency": "weekly",
            "period_start": content.last_complete_period("weekly", today=timezone.localdate())[0],
        },
    )
    context = {"form": form}
    if form.is_valid():
        frequency = form.cleaned_data["frequency"]
        start, end = content.period_for(frequency, start=form.cleaned_data["period_start"])
        message = Message(
            kind=DigestMail.name,
            contact=form.contact,
            data={
                "frequency": frequency,
                "period_start": start.isoformat(),
                "period_end": end.isoformat(),
            },
        )
        email = message_preview(message)
        if request.method == "POST":
            services.digest_test_send(
                staff_contact=contact_for_user(user=request.user), email=email
            )
            messages.success(
                request, _("A test digest was sent to %(email)s.") % {"email": request.user.email}
            )
            return redirect(request.get_full_path())
        context.update(
            message=email,
            html=email.alternatives[0][0] if email.alternatives else "",
            has_news=message.digest_content.has_news,
        )
    return render(request, "digests/preview.html", context)
