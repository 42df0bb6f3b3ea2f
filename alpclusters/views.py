from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from stakeholders.models import Contact, DigestFrequency

from . import digest, selectors


class HomeView(TemplateView):
    template_name = "alpclusters/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            figures=selectors.headline_figures(),
            alpcafes=selectors.next_alpcafes(),
            posts=selectors.latest_posts(),
        )
        return context


class AboutView(TemplateView):
    template_name = "alpclusters/about.html"


@never_cache
def healthz(request):
    """Liveness for load balancers: answers 200 only while the database answers."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:  # noqa: BLE001 — any database failure means "unhealthy", reported as 503
        return JsonResponse(
            {"status": "error", "database": str(exc.__class__.__name__)}, status=503
        )
    return JsonResponse({"status": "ok"})


class DigestPreviewForm(forms.Form):
    email = forms.EmailField(label=_("Contact's e-mail address"))
    frequency = forms.ChoiceField(
        label=_("Frequency"),
        choices=[(DigestFrequency.WEEKLY, _("Weekly")), (DigestFrequency.MONTHLY, _("Monthly"))],
    )
    period_start = forms.DateField(
        label=_("Period starting"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_email(self):
        contact = Contact.objects.filter(email__iexact=self.cleaned_data["email"]).first()
        if contact is None:
            raise forms.ValidationError(_("No contact has this address."))
        self.contact = contact
        return contact.email


@staff_member_required
def digest_preview(request):
    """Any contact's digest for any period, as they would receive it; "send me a test" mails it
    to the staff member (and records nothing)."""
    data = request.GET if request.GET else None
    form = DigestPreviewForm(
        data,
        initial={
            "frequency": "weekly",
            "period_start": digest.last_complete_period("weekly", today=timezone.localdate())[0],
        },
    )
    context = {"form": form}
    if form.is_valid():
        contact = form.contact
        start, end = digest.period_for(
            form.cleaned_data["frequency"], start=form.cleaned_data["period_start"]
        )
        content = digest.shared_content(digest.as_aware(start), digest.as_aware(end))
        shared = digest.render_shared(
            content, frequency=form.cleaned_data["frequency"], language=contact.language
        )
        message = digest.personalise(
            shared,
            contact=contact,
            registrations=digest.own_registrations([contact.pk]).get(contact.pk, []),
        )
        if request.method == "POST":
            message.to = [request.user.email]
            message.subject = "[TEST] " + message.subject
            message.send()
            messages.success(
                request, _("A test digest was sent to %(email)s.") % {"email": request.user.email}
            )
            return redirect(request.get_full_path())
        context.update(message=message, html=message.alternatives[0][0], has_news=content.has_news)
    return render(request, "alpclusters/digest_preview.html", context)
