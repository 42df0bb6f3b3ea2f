"""Demo data for AlpCafés: five held ones in five Alpine countries, attended by exactly 81 of the
150 demo stakeholders (some came twice), and two upcoming ones open for registration, one of them
full with a waitlist. All names, venues and texts are fictional.

Deterministic and idempotent like the registry's demo data: AlpCafés are found by their slugs and
participations by (AlpCafé, contact). The held AlpCafés and their guest lists are fixed in time and
follow from the registry's demo entries alone (never from what the database holds), so a re-run
plans the same rows and rewrites none. The upcoming ones must lie ahead of the clock: their dates
are set on the first run and moved on only once their registration has closed; their guests are
added once and never rewritten, since a guest list that changes as people answer is the point.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from outbox.models import Message
from stakeholders import services as stakeholder_services
from stakeholders.demo import Entry, _upsert, published_entries
from stakeholders.models import Contact, Stakeholder
from stakeholders.selectors import registry_changed

from . import services as alpcafe_services
from .mail import InvitationMail, ReminderMail
from .models import AlpCafe, Participation

SEED = 2026
ALPINE_TZ = ZoneInfo("Europe/Rome")
INVOLVED_TOTAL = 81
#: Stakeholders of the 81 who came to a second AlpCafé.
REPEAT_ATTENDEES = 14
ORGANISER_EMAIL = "organiser@example.org"
MEMBER_EMAIL = "member@example.org"
#: Invitations of a held AlpCafé went out four weeks before it, at nine in the morning.
INVITATION_LEAD = timedelta(days=28)
UPCOMING_WEEKDAY = 3  # Thursday, like the held ones
UPCOMING_HOUR = 10

Status = Participation.Status
Format = AlpCafe.Format


def _at(day: str, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(
        datetime.strptime(day, "%Y-%m-%d").date(), time(hour, minute), tzinfo=ALPINE_TZ
    )


@dataclass(frozen=True)
class DemoAlpCafe:
    slug: str
    title: str
    theme: str
    description: str
    agenda: str
    host: str  # slug of a partner stakeholder
    language: str
    capacity: int
    hours: float
    format: str = Format.IN_PERSON
    venue: str = ""
    address: str = ""
    city: str = ""
    country: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    online_url: str = ""
    # Held ones: fixed start, first-time attendees, where the rest of them came from, what was
    # heard.
    starts_at: datetime | None = None
    newcomers: int = 0
    neighbours: tuple[str, ...] = ()
    outcomes_summary: str = ""
    needs_heard: str = ""
    expectations_heard: str = ""
    # Upcoming ones: weeks after the next Thursday; registrations in the order they came.
    weeks_ahead: int = 0
    registrations: int = 0
    unanswered: int = 0
    declined: int = 0

    def values(self) -> dict:
        """The AlpCafé's own fields (not its dates, state or host, which depend on the kind)."""
        return {
            "title": self.title,
            "theme": self.theme,
            "description": self.description,
            "agenda": self.agenda,
            "format": self.format,
            "venue": self.venue,
            "address": self.address,
            "city": self.city,
            "country": self.country,
            "latitude": self.latitude,
            "longitude": self.longitude,
            "online_url": self.online_url,
            "capacity": self.capacity,
            "language": self.language,
            "reminder_hours": 48,
            "outcomes_summary": self.outcomes_summary,
            "needs_heard": self.needs_heard,
            "expectations_heard": self.expectations_heard,
        }


HELD = [
    DemoAlpCafe(
        slug="alpcafe-demo-innsbruck-2026",
        title="AlpCafé Innsbruck: going international together",
        theme="Internationalisation of Alpine SMEs",
        description=(
            "Small and medium-sized companies of the Tyrolean clusters meet cluster managers from "
            "across the Alps to talk about entering new markets together: shared trade-fair "
            "stands, joint offers and partners on the other side of the border."
        ),
        agenda=(
            "14:00 Welcome by the host\n"
            "14:20 Three companies, three first steps abroad (short talks)\n"
            "15:00 Coffee tables: markets, partners, pitfalls\n"
            "16:30 What the clusters could do next\n"
            "17:15 Wrap-up and networking"
        ),
        host="alpenland-innovationsagentur-tirol",
        language="de",
        capacity=30,
        hours=3.5,
        venue="Haus der Innovation, Saal Nordkette",
        address="Technikerstraße 12",
        city="Innsbruck",
        country="AT",
        latitude=Decimal("47.26410"),
        longitude=Decimal("11.34360"),
        starts_at=_at("2026-03-19", 14),
        newcomers=17,
        neighbours=("LI", "DE", "CH"),
        outcomes_summary=(
            "Twenty companies and cluster managers compared their first steps abroad. Three "
            "companies agreed to share a stand at a trade fair in northern Italy, and the host "
            "will map which cluster programmes already offer export coaching."
        ),
        needs_heard=(
            "Trusted contacts in neighbouring regions before the first customer visit.\n"
            "Help with foreign standards and certification for small series.\n"
            "Time: managing directors of small firms cannot travel to every fair."
        ),
        expectations_heard=(
            "A directory of cluster members open to cross-border partnerships.\n"
            "Joint delegations organised by the clusters rather than by each company alone."
        ),
    ),
    DemoAlpCafe(
        slug="alpcafe-demo-annecy-2026",
        title="AlpCafé Annecy: when mechatronics meets outdoor textiles",
        theme="Cross-sector links between clusters",
        description=(
            "Mechatronics and micromechanics firms of Haute-Savoie sit down with makers of "
            "technical textiles and outdoor equipment: which products could only come from "
            "working together, and what stops it today?"
        ),
        agenda=(
            "09:30 Coffee and introductions around the tables\n"
            "10:00 Two cross-sector products, told by their makers\n"
            "10:45 Speed matching between the two sectors\n"
            "11:45 What a joint working group should take on\n"
            "12:30 Close"
        ),
        host="pole-alpin-des-entreprises-innovantes",
        language="fr",
        capacity=30,
        hours=3,
        venue="Pôle Alpin, espace Semnoz",
        address="18 avenue du Lac",
        city="Annecy",
        country="FR",
        latitude=Decimal("45.90120"),
        longitude=Decimal("6.12850"),
        starts_at=_at("2026-05-07", 9, 30),
        newcomers=16,
        neighbours=("CH", "IT"),
        outcomes_summary=(
            "Mechatronics and textile companies found more in common than expected: sensors in "
            "garments, automated cutting, repair. A cross-sector working group of six companies "
            "will meet every two months, hosted in turn by the two clusters."
        ),
        needs_heard=(
            "Neutral places where companies of different sectors meet without a sales pitch.\n"
            "Prototyping workshops that small textile firms can afford.\n"
            "Clarity on who owns what in a jointly developed product."
        ),
        expectations_heard=(
            "Introductions to the right person in the other cluster, not a mailing list.\n"
            "Examples of contracts for small joint developments."
        ),
    ),
    DemoAlpCafe(
        slug="alpcafe-demo-bergamo-2026",
        title="AlpCafé Bergamo: skills for the valleys' industry",
        theme="Skills and young talent in Alpine industrial clusters",
        description=(
            "Companies, vocational schools and research centres of the pre-Alpine valleys talk "
            "about the skills their industries will need and how to keep young people in the "
            "valleys."
        ),
        agenda=(
            "15:00 Welcome by the Consorzio\n"
            "15:15 What employers are looking for: a short survey of the members\n"
            "15:45 Round tables: apprenticeships, dual study, mobility between regions\n"
            "17:15 Proposals for the clusters\n"
            "18:00 Aperitivo"
        ),
        host="consorzio-cluster-alpi-lombarde",
        language="it",
        capacity=35,
        hours=3,
        venue="Consorzio Cluster Alpi Lombarde, sala Orobie",
        address="Via dei Caniana 8",
        city="Bergamo",
        country="IT",
        latitude=Decimal("45.69210"),
        longitude=Decimal("9.67040"),
        starts_at=_at("2026-06-18", 15),
        newcomers=18,
        neighbours=("CH", "SI"),
        outcomes_summary=(
            "Employers and schools agreed that the shortage is of technicians more than of "
            "engineers. The Consorzio will pilot a shared apprenticeship scheme between three "
            "member companies and look for partners for exchanges of trainees across the Alps."
        ),
        needs_heard=(
            "Technicians for maintenance and automation who stay in the valleys.\n"
            "Training that small companies can share instead of each running its own.\n"
            "Recognition of qualifications earned in another Alpine country."
        ),
        expectations_heard=(
            "Exchanges of apprentices between cluster members in different countries.\n"
            "A regular meeting of schools and employers, once a year at least."
        ),
    ),
    DemoAlpCafe(
        slug="alpcafe-demo-kranj-2026",
        title="AlpCafé Kranj: EU funding without the paperwork fear",
        theme="Access to EU funding for cluster projects",
        description=(
            "First-time applicants meet people who have run Interreg and Horizon Europe projects: "
            "how to find partners, how much work an application really is, and what clusters can "
            "take off their members' shoulders."
        ),
        agenda=(
            "14:00 Welcome by the Gorenjska cluster\n"
            "14:15 Which programme for which idea: a map of the calls\n"
            "15:00 Tables with experienced project managers\n"
            "16:15 Partner search: ideas looking for partners\n"
            "17:00 Close"
        ),
        host="gorenjski-grozd-za-inovacije",
        language="sl",
        capacity=30,
        hours=3,
        venue="Tehnološki center Kranj, dvorana Storžič",
        address="Koroška cesta 14",
        city="Kranj",
        country="SI",
        latitude=Decimal("46.24120"),
        longitude=Decimal("14.35530"),
        starts_at=_at("2026-09-17", 14),
        newcomers=14,
        neighbours=("AT", "IT"),
        outcomes_summary=(
            "Most companies had never applied for EU funding; the experienced ones stressed "
            "that partners matter more than the text. Five project ideas found partners at the "
            "tables, and the cluster will offer a review of draft applications before each call."
        ),
        needs_heard=(
            "Plain-language overviews of the calls that fit small companies.\n"
            "Partners in other countries for consortia, found early.\n"
            "Help with the financial reporting after a project is granted."
        ),
        expectations_heard=(
            "Clusters acting as lead partners so that companies can join as partners.\n"
            "A shared calendar of calls relevant to Alpine industries."
        ),
    ),
    DemoAlpCafe(
        slug="alpcafe-demo-rosenheim-2026",
        title="AlpCafé Rosenheim: data and digital tools between clusters",
        theme="Digital cooperation between cluster members",
        description=(
            "How cluster members share data, machines and know-how across company borders: "
            "experiences from the Inn valley and the Chiemgau, with guests from the "
            "neighbouring clusters."
        ),
        agenda=(
            "16:00 Welcome by the cluster\n"
            "16:15 Three examples of shared data between suppliers\n"
            "17:00 Tables: trust, standards, first steps\n"
            "18:15 Next steps for the clusters\n"
            "19:00 Beer and pretzels"
        ),
        host="cluster-mechatronik-automation-inn-chiemgau",
        language="de",
        capacity=30,
        hours=3,
        venue="Technologiezentrum Rosenheim, Forum",
        address="Hochschulstraße 3",
        city="Rosenheim",
        country="DE",
        latitude=Decimal("47.86780"),
        longitude=Decimal("12.10730"),
        starts_at=_at("2026-10-15", 16),
        newcomers=16,
        neighbours=("AT", "CH", "LI"),
        outcomes_summary=(
            "Suppliers showed how sharing machine data with customers cut downtime. Trust and "
            "clear rules came up at every table; the clusters will draft a short model agreement "
            "for data sharing between members."
        ),
        needs_heard=(
            "Simple rules for who may use shared data and for what.\n"
            "Affordable IT security advice for small suppliers.\n"
            "Common formats so that one interface serves several customers."
        ),
        expectations_heard=(
            "A model data-sharing agreement from the clusters.\n"
            "Visits to companies that already share data, across the border."
        ),
    ),
]

UPCOMING = [
    DemoAlpCafe(
        slug="alpcafe-demo-upcoming-1",
        title="AlpCafé Chur: tourism and energy in the mountain valleys",
        theme="Cross-sector links: tourism, energy and wood",
        description=(
            "A small round in the Grisons: hotels, energy cooperatives and timber builders on "
            "what the valleys could offer together, from renovated hotels to local power."
        ),
        agenda=(
            "10:00 Welcome by Innovationsnetz Ostalpen\n"
            "10:15 A renovated hotel, told by its owner and its builders\n"
            "11:00 One table, three sectors\n"
            "12:30 Lunch with regional products"
        ),
        host="innovationsnetz-ostalpen",
        language="de",
        capacity=12,
        hours=2.5,
        venue="Innovationsnetz Ostalpen, Sitzungszimmer Calanda",
        address="Grabenstrasse 21",
        city="Chur",
        country="CH",
        latitude=Decimal("46.85040"),
        longitude=Decimal("9.53090"),
        neighbours=("CH", "LI", "AT", "IT"),
        weeks_ahead=2,
        registrations=15,
        unanswered=5,
        declined=2,
    ),
    DemoAlpCafe(
        slug="alpcafe-demo-upcoming-2",
        title="AlpCafé online: finding partners for Alpine Space projects",
        theme="Access to EU funding for cluster projects",
        description=(
            "An online AlpCafé for everyone who met a project idea at one of this year's "
            "AlpCafés and is now looking for partners in other Alpine countries."
        ),
        agenda=(
            "10:00 Welcome and how the breakout rooms work\n"
            "10:10 Ideas looking for partners: two minutes each\n"
            "10:45 Breakout rooms by theme\n"
            "11:30 Next steps"
        ),
        host="alpenland-innovationsagentur-tirol",
        language="en",
        capacity=40,
        hours=1.5,
        format=Format.ONLINE,
        online_url="https://meet.alpclusters.example.org/alpcafe-partners",
        neighbours=("AT", "CH", "DE", "FR", "IT", "LI", "SI"),
        weeks_ahead=5,
        registrations=5,
        unanswered=14,
        declined=3,
    ),
]


# --- The plan: who was invited and who came, from the registry's demo entries alone ------------


@dataclass
class Guest:
    email: str
    status: str
    values: dict = field(default_factory=dict)
    mail: list = field(default_factory=list)


def _mailable(entry: Entry) -> list[str]:
    return [c["email"] for c in entry.contacts if c["mail_consent_at"] is not None]


def _pick(rng: random.Random, pool: list[str], n: int) -> list[str]:
    pool = list(pool)
    rng.shuffle(pool)
    return pool[:n]


def held_plan(entries: list[Entry]) -> dict[str, list[Guest]]:
    """Each held AlpCafé's guests with every participation field, by AlpCafé slug.

    The host partner's first contact is on the list without an invitation (they organised it);
    everyone else was invited by mail, so only contacts who accept mail are.
    """
    rng = random.Random(SEED)  # noqa: S311 — demo data: reproducible, not secret
    by_slug = {e.slug: e for e in entries}
    hosts = {demo.host for demo in HELD}
    # Entries in their fixed order, never a set: set order changes from one process to the next.
    eligible = [e.slug for e in entries if _mailable(e) and e.slug not in hosts]
    involved: list[str] = []
    attendees: list[list[str]] = []
    for demo in HELD:
        free = [s for s in eligible if s not in involved]
        own = [s for s in free if by_slug[s].country == demo.country]
        near = [s for s in free if by_slug[s].country in demo.neighbours]
        # Most come from the host's country, the rest from across the border.
        chosen = [demo.host, *_pick(rng, own, round((demo.newcomers - 1) * 0.8))]
        chosen += _pick(rng, near, demo.newcomers - len(chosen))
        involved += chosen
        attendees.append(chosen)
    if len(involved) != INVOLVED_TOTAL or len(set(involved)) != INVOLVED_TOTAL:
        raise RuntimeError("The demo AlpCafés must involve exactly 81 distinct stakeholders")
    # Hosts without a contact who accepts mail could not have been invited elsewhere.
    invitable = [s for s in involved if _mailable(by_slug[s])]
    for slug in rng.sample(invitable, REPEAT_ATTENDEES):
        first = next(i for i, chosen in enumerate(attendees) if slug in chosen)
        again = rng.choice([i for i in range(len(HELD)) if i != first])
        attendees[again].append(slug)
    absent = [s for s in eligible if s not in involved]

    plan = {}
    for demo, chosen in zip(HELD, attendees, strict=True):
        starts = demo.starts_at
        queued = datetime.combine((starts - INVITATION_LEAD).date(), time(9), tzinfo=ALPINE_TZ)
        guests: list[Guest] = []

        def answered(queued=queued, starts=starts):
            return min(queued + timedelta(minutes=rng.randrange(60, 21 * 24 * 60)), starts)

        for slug in chosen:
            entry = by_slug[slug]
            emails = [entry.contacts[0]["email"]] if slug == demo.host else _mailable(entry)
            # Now and then a colleague came along.
            for email in emails[: 2 if rng.random() < 0.25 else 1]:
                guests.append(
                    Guest(
                        email,
                        Status.REGISTERED,
                        {
                            "responded_at": queued if slug == demo.host else answered(),
                            "attended_at": starts + timedelta(minutes=rng.randrange(-15, 25)),
                        },
                    )
                )
        no_shows, declined, unanswered = rng.randint(1, 3), rng.randint(4, 8), rng.randint(2, 5)
        picked = _pick(rng, absent, no_shows + declined + unanswered)
        for n, slug in enumerate(picked):
            email = _mailable(by_slug[slug])[0]
            if n < no_shows:
                guests.append(Guest(email, Status.REGISTERED, {"responded_at": answered()}))
            elif n < no_shows + declined:
                guests.append(Guest(email, Status.DECLINED, {"responded_at": answered()}))
            else:
                guests.append(Guest(email, Status.INVITED))
        host_email = by_slug[demo.host].contacts[0]["email"]
        for n, guest in enumerate(guests):
            invited = guest.email != host_email
            sent = queued + timedelta(seconds=2 * n + 1)
            # What the outbox sent them: the invitation, and the reminder to those registered.
            guest.mail = [(InvitationMail.name, queued, sent)] if invited else []
            if guest.status == Status.REGISTERED:
                reminded = starts - timedelta(hours=48) + timedelta(seconds=n)
                guest.mail.append((ReminderMail.name, reminded, reminded))
            guest.values = {
                "status": guest.status,
                "responded_at": None,
                "waitlist_position": None,
                "attended_at": None,
                **guest.values,
            }
        plan[demo.slug] = guests
    return plan


def upcoming_plan(entries: list[Entry]) -> dict[str, list[Guest]]:
    """Each upcoming AlpCafé's guests in the order they answered (registrations first, so that
    the last ones land on the waitlist), then those who declined or have not answered yet."""
    rng = random.Random(SEED + 1)  # noqa: S311 — demo data: reproducible, not secret
    plan = {}
    for demo in UPCOMING:
        pool = [
            _mailable(e)[0]
            for e in entries
            if _mailable(e) and e.country in demo.neighbours and e.slug != demo.host
        ]
        picked = _pick(rng, pool, demo.registrations + demo.declined + demo.unanswered)
        statuses = (
            [Status.REGISTERED] * demo.registrations
            + [Status.DECLINED] * demo.declined
            + [Status.INVITED] * demo.unanswered
        )
        plan[demo.slug] = [Guest(e, s) for e, s in zip(picked, statuses, strict=True)]
    return plan


# --- Writing -------------------------------------------------------------------------------------


def _next_start(weeks: int, now: datetime) -> datetime:
    """10:00 Alpine time on the first Thursday after today, ``weeks`` weeks later."""
    today = timezone.localtime(now, ALPINE_TZ).date()
    days = (UPCOMING_WEEKDAY - today.weekday()) % 7 or 7
    day = today + timedelta(days=days, weeks=weeks)
    return datetime.combine(day, time(UPCOMING_HOUR), tzinfo=ALPINE_TZ)


def _save_alpcafe(demo: DemoAlpCafe, values: dict, organisers) -> AlpCafe:
    hosts = Stakeholder.objects.in_bulk([demo.host], field_name="slug")
    values = {**demo.values(), **values, "host": hosts.get(demo.host)}
    existing = AlpCafe.objects.filter(slug=demo.slug).first()
    alpcafe = _upsert(AlpCafe, existing, {"slug": demo.slug}, values)
    alpcafe.organisers.add(*organisers)
    return alpcafe


def _contact_ids(emails) -> dict[str, int]:
    return dict(Contact.objects.filter(email__in=list(emails)).values_list("email", "pk"))


def _seed_held(demo: DemoAlpCafe, guests: list[Guest], organisers) -> AlpCafe:
    starts = demo.starts_at
    ends = starts + timedelta(hours=demo.hours)
    alpcafe = _save_alpcafe(
        demo,
        {
            "state": AlpCafe.State.HELD,
            "starts_at": starts,
            "ends_at": ends,
            "registration_deadline": starts - timedelta(days=3),
        },
        organisers,
    )
    contact_ids = _contact_ids(g.email for g in guests)
    existing = {p.contact_id: p for p in alpcafe.participations.all()}
    new, changed = [], []
    for guest in guests:
        contact_id = contact_ids.get(guest.email)
        if contact_id is None:
            continue
        participation = existing.get(contact_id)
        if participation is None:
            new.append(Participation(alpcafe=alpcafe, contact_id=contact_id, **guest.values))
            continue
        if any(getattr(participation, k) != v for k, v in guest.values.items()):
            for name, value in guest.values.items():
                setattr(participation, name, value)
            changed.append(participation)
    created = Participation.objects.bulk_create(new)
    # Dated to the invitation rather than to the day the demo was loaded.
    Participation.objects.filter(pk__in=[p.pk for p in created]).update(
        created_at=starts - INVITATION_LEAD
    )
    if changed:
        Participation.objects.bulk_update(changed, list(guests[0].values))
    _record_sent_mail(
        alpcafe,
        [
            (contact_ids[g.email], *mail)
            for g in guests
            if g.email in contact_ids
            for mail in g.mail
        ],
    )
    return alpcafe


def _record_sent_mail(alpcafe: AlpCafe, rows) -> None:
    """The outbox's history of the demo: (contact id, kind, queued, sent), once per dedupe key."""
    about_type = ContentType.objects.get_for_model(AlpCafe)
    Message.objects.bulk_create(
        [
            Message(
                kind=kind,
                contact_id=contact_id,
                about_type=about_type,
                about_id=alpcafe.pk,
                state=Message.State.SENT,
                queued_at=queued,
                sent_at=sent,
                attempts=1,
                dedupe_key=f"{kind}:{alpcafe.pk}:{contact_id}",
            )
            for contact_id, kind, queued, sent in rows
        ],
        ignore_conflicts=True,
    )


def _seed_upcoming(demo: DemoAlpCafe, guests: list[Guest], organisers, now) -> AlpCafe:
    values = {"state": AlpCafe.State.SCHEDULED}
    existing = AlpCafe.objects.filter(slug=demo.slug).first()
    if existing is None or existing.registration_closes_at <= now:
        starts = _next_start(demo.weeks_ahead, now)
        values |= {
            "starts_at": starts,
            "ends_at": starts + timedelta(hours=demo.hours),
            "registration_deadline": starts - timedelta(days=2),
        }
    alpcafe = _save_alpcafe(demo, values, organisers)
    if existing is None:
        # Scheduled "last week" (its Wednesday), so that the demo's weekly digest has news.
        today = timezone.localdate(now)
        last_week = today - timedelta(days=today.weekday() + 5)
        AlpCafe.objects.filter(pk=alpcafe.pk).update(
            created_at=datetime.combine(last_week, time(11), tzinfo=ALPINE_TZ)
        )
    contact_ids = _contact_ids(g.email for g in guests)
    known = set(alpcafe.participations.values_list("contact_id", flat=True))
    for guest in guests:
        contact_id = contact_ids.get(guest.email)
        if contact_id is None or contact_id in known:
            continue
        participation = Participation.objects.create(
            alpcafe=alpcafe, contact_id=contact_id, status=Status.INVITED
        )
        _record_sent_mail(alpcafe, [(contact_id, InvitationMail.name, now, now)])
        # The answers go through the services, which seat people in order and then waitlist.
        if guest.status == Status.REGISTERED:
            alpcafe_services.participation_register(alpcafe=alpcafe, contact=participation.contact)
        elif guest.status == Status.DECLINED:
            alpcafe_services.participation_decline(participation=participation)
    return alpcafe


def _register_member(alpcafe: AlpCafe) -> None:
    """The demo member signed up for the open AlpCafé on the site, without an invitation."""
    user = get_user_model().objects.filter(email=MEMBER_EMAIL).first()
    if user is None:
        return
    contact = stakeholder_services.contact_for_user(user=user)
    if not alpcafe.participations.filter(contact=contact).exists():
        alpcafe_services.participation_register(alpcafe=alpcafe, contact=contact)


@transaction.atomic
def seed_alpcafes() -> dict[str, int]:
    """The held and upcoming demo AlpCafés with their guests; returns counts for the summary.

    Needs the registry's demo data (``seed_registry``) first: guests are its contacts.
    """
    now = timezone.now()
    entries = published_entries()
    organisers = list(get_user_model().objects.filter(email=ORGANISER_EMAIL))
    for demo, guests in zip(HELD, held_plan(entries).values(), strict=True):
        _seed_held(demo, guests, organisers)
    upcoming = [
        _seed_upcoming(demo, guests, organisers, now)
        for demo, guests in zip(UPCOMING, upcoming_plan(entries).values(), strict=True)
    ]
    _register_member(upcoming[-1])
    # Attendance decides "involved", which the directory's cached counts include.
    transaction.on_commit(registry_changed)
    return {
        "held": len(HELD),
        "upcoming": len(upcoming),
        "involved": Stakeholder.objects.involved().values("pk").distinct().count(),
    }
