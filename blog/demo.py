"""Demo data for the community blog: 30 posts (news, ideas, a report from each held AlpCafé) by the
demo accounts, comments and replies, supports of the ideas, two policy proposals (one open for
endorsement, one submitted) with their endorsements, and one post waiting for a moderator. On
request, many generated posts for benchmarks. All names and texts are fictional.

Deterministic and idempotent like the other demo data: posts and proposals are found by their
slugs, comments by (post, author, text), supports and endorsements by their unique keys. A row is
written once and never rewritten, so a moderator's decision taken since (the pending post
approved, say) survives a re-run. Run it after the registry's and the AlpCafés' demo data: the
reports are about the AlpCafés held at that moment (none when there are none yet; a later run adds
them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alpcafes.models import AlpCafe
from blog import services
from blog.models import Comment, Endorsement, PolicyProposal, Post, Support
from blog.rendering import excerpt_of, render_comment, render_markdown
from stakeholders.models import Sector, Stakeholder
from stakeholders.services import contact_for_user

ALPINE_TZ = ZoneInfo("Europe/Rome")
ORGANISER = "organiser@example.org"
MODERATOR = "moderator@example.org"
MEMBER = "member@example.org"
MEMBER2 = "member2@example.org"
ADMIN = "admin@example.org"
#: At most this many held AlpCafés get a report (30 posts with the five demo AlpCafés).
REPORTS = 5
BULK_PREFIX = "bulk-post-"

Kind = Post.Kind


def _at(day: str, hour: int = 9) -> datetime:
    return datetime.combine(datetime.strptime(day, "%Y-%m-%d").date(), time(hour), tzinfo=ALPINE_TZ)


@dataclass(frozen=True)
class DemoPost:
    slug: str
    kind: str
    author: str
    title: str
    body: str
    published: str  # a date, or "" for the post that waits for a moderator
    topics: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    idea_status: str = Post.IdeaStatus.OPEN


@dataclass(frozen=True)
class DemoComment:
    post: str
    author: str
    body: str
    reply_to: int | None = None  # index in COMMENTS of the comment answered
    hours_after: int = 5


@dataclass(frozen=True)
class DemoProposal:
    slug: str
    title: str
    problem: str
    joint_action: str
    level: str
    ideas: tuple[str, ...]
    alpcafes: int  # how many of the held AlpCafés (the earliest first) it grew from
    endorsers: tuple[str, ...]  # demo accounts endorsing for their organisation
    partners: int  # project partners whose endorsement the team recorded
    submit: bool
    opened: str
    submitted: str = ""
    extra: dict = field(default_factory=dict)


NEWS = [
    DemoPost(
        "welcome-to-the-alpclusters-community",
        Kind.NEWS,
        ADMIN,
        "Welcome to the AlpClusters community",
        "This blog is where the stakeholders of Alpine clusters **exchange information** and "
        "work ideas into concrete policy proposals.\n\n"
        "- Share news from your cluster or company.\n"
        "- Post an idea and gather support.\n"
        "- Read the reports from the AlpCafés.\n\n"
        "Moderators read first posts before they appear; after a few approved posts you publish "
        "directly.",
        "2026-01-12",
        ("ict",),
        ("community",),
    ),
    DemoPost(
        "mapping-the-alpine-clusters-first-results",
        Kind.NEWS,
        ORGANISER,
        "Mapping the Alpine clusters: first results",
        "The registry now lists about 150 stakeholders in seven countries: cluster "
        "organisations, SMEs, research centres and public bodies.\n\n"
        "The densest areas are Tirol, Lombardia and Rhône-Alpes. Missing your organisation? "
        "Register it from the directory.",
        "2026-01-26",
        ("mechatronics", "wood-timber"),
        ("registry", "mapping"),
    ),
    DemoPost(
        "call-for-hosts-of-the-next-alpcafes",
        Kind.NEWS,
        ORGANISER,
        "Call for hosts of the next AlpCafés",
        "We are looking for cluster organisations willing to host an AlpCafé in 2026: a room "
        "for 30 people, coffee, and three hours of open discussion.\n\n"
        "Write to the project team through the portal if you would like to host one.",
        "2026-02-09",
        ("tourism",),
        ("alpcafe",),
    ),
    DemoPost(
        "timber-construction-fair-in-bolzano",
        Kind.NEWS,
        MEMBER,
        "Timber construction fair in Bolzano",
        "Twelve carpentry firms from Tirol and Südtirol showed **prefabricated timber modules** "
        "at the spring fair. Three of them agreed to bid together for a hotel extension in "
        "Val Pusteria.",
        "2026-02-23",
        ("wood-timber", "construction"),
        ("timber", "fairs"),
    ),
    DemoPost(
        "hydrogen-buses-in-the-valleys",
        Kind.NEWS,
        MODERATOR,
        "Hydrogen buses in the valleys",
        "Two regional transport companies tested fuel-cell buses on mountain routes this "
        "winter. Range in the cold was the main question; the first figures are encouraging.",
        "2026-03-02",
        ("renewable-energy", "automotive"),
        ("hydrogen", "mobility"),
    ),
    DemoPost(
        "digital-skills-for-mountain-smes",
        Kind.NEWS,
        MEMBER2,
        "Digital skills for mountain SMEs",
        "Our co-working lab ran six evening courses on online sales and cloud accounting for "
        "small firms of the valley. The waiting list for the autumn is already long.",
        "2026-03-16",
        ("ict",),
        ("skills", "digitalisation"),
    ),
    DemoPost(
        "mountain-food-labels-explained",
        Kind.NEWS,
        MEMBER2,
        "Mountain food labels explained",
        "What does *mountain product* on a cheese mean? The EU optional quality term, the "
        "national labels and the regional brands differ more than shoppers think.\n\n"
        "1. EU term: origin of milk and processing in mountain areas.\n"
        "2. Regional brands: their own rules, often stricter.",
        "2026-04-06",
        ("agri-food",),
        ("labels", "food"),
    ),
    DemoPost(
        "recycled-polymers-for-outdoor-gear",
        Kind.NEWS,
        MEMBER,
        "Recycled polymers for outdoor gear",
        "A plastics cluster and a textile cluster presented a joint project: backpacks and "
        "jackets from recycled polymers collected at ski resorts.",
        "2026-04-20",
        ("plastics", "textiles"),
        ("recycling", "outdoor"),
    ),
    DemoPost(
        "satellite-data-for-avalanche-warnings",
        Kind.NEWS,
        MODERATOR,
        "Satellite data for avalanche warnings",
        "Earth observation start-ups from Slovenia and Bayern showed how snow-cover data can "
        "sharpen local avalanche bulletins. They are looking for pilot municipalities.",
        "2026-05-18",
        ("space-aerospace",),
        ("earth-observation",),
    ),
    DemoPost(
        "medical-devices-network-meets-in-graz",
        Kind.NEWS,
        ADMIN,
        "Medical devices network meets in Graz",
        "Forty companies of the health and life sciences clusters met to compare notes on the "
        "new EU rules for medical devices, and on testing capacity in the Alps.",
        "2026-06-01",
        ("health-life-sciences",),
        ("regulation",),
    ),
    DemoPost(
        "energy-efficient-huts-a-study",
        Kind.NEWS,
        MEMBER,
        "Energy-efficient mountain huts: a study",
        "A study of 60 Alpine huts shows that solar power with batteries now covers most of "
        "their needs in summer. Heating in spring and autumn remains the gap.",
        "2026-06-22",
        ("renewable-energy", "tourism"),
        ("energy", "huts"),
    ),
    DemoPost(
        "summer-school-on-cluster-management",
        Kind.NEWS,
        ORGANISER,
        "Summer school on cluster management",
        "Twenty cluster managers spent a week in Trento on services for members, "
        "internationalisation and measuring impact. The slides are shared with the community.",
        "2026-07-13",
        ("ict",),
        ("training", "cluster-management"),
    ),
    DemoPost(
        "automotive-suppliers-look-at-e-bikes",
        Kind.NEWS,
        MEMBER2,
        "Automotive suppliers look at e-bikes",
        "Several suppliers of the automotive cluster are turning their know-how in lightweight "
        "parts to e-bike frames and motors, a market growing fast in the Alpine regions.",
        "2026-08-31",
        ("automotive", "mechatronics"),
        ("e-mobility",),
    ),
    DemoPost(
        "what-the-registry-tells-us-about-cooperation",
        Kind.NEWS,
        MODERATOR,
        "What the registry tells us about cooperation",
        "Half of the registered stakeholders name partners abroad; most of them only in one "
        "neighbouring country. The AlpCafés aim to widen that circle.",
        "2026-10-05",
        ("ict",),
        ("registry", "cooperation"),
    ),
]

IDEAS = [
    DemoPost(
        "a-shared-trade-fair-stand-for-alpine-smes",
        Kind.IDEA,
        MEMBER,
        "A shared trade-fair stand for Alpine SMEs",
        "Small firms cannot afford their own stand at the big fairs. **One Alpine stand**, "
        "shared by companies of several clusters, would cut the cost and show the Alps as one "
        "region.",
        "2026-03-23",
        ("mechatronics", "wood-timber"),
        ("fairs", "internationalisation"),
    ),
    DemoPost(
        "cross-border-innovation-vouchers",
        Kind.IDEA,
        MEMBER2,
        "Cross-border innovation vouchers",
        "Innovation vouchers usually pay for a research centre in the same region. Let SMEs "
        "spend them with a research partner **across the border** too.",
        "2026-04-13",
        ("ict", "health-life-sciences"),
        ("vouchers", "research"),
    ),
    DemoPost(
        "an-alpine-timber-label",
        Kind.IDEA,
        MEMBER,
        "An Alpine timber label",
        "Timber from Alpine forests, sawn and worked in the Alps, deserves a label that "
        "architects and clients recognise in every country.",
        "2026-04-27",
        ("wood-timber", "construction"),
        ("timber", "labels"),
    ),
    DemoPost(
        "one-register-of-testing-facilities",
        Kind.IDEA,
        MODERATOR,
        "One register of testing facilities",
        "Companies look for test benches, climate chambers and labs. A shared register of the "
        "facilities open to others in the Alpine clusters would save them weeks.",
        "2026-05-11",
        ("mechatronics", "automotive"),
        ("testing", "infrastructure"),
        Post.IdeaStatus.DISCUSSION,
    ),
    DemoPost(
        "mentoring-between-cluster-managers",
        Kind.IDEA,
        ORGANISER,
        "Mentoring between cluster managers",
        "Experienced cluster managers could mentor newer ones in other countries: a few calls a "
        "year, and a visit.",
        "2026-05-25",
        ("ict",),
        ("cluster-management",),
    ),
    DemoPost(
        "mountain-food-in-alpine-hotels",
        Kind.IDEA,
        MEMBER2,
        "Mountain food in Alpine hotels",
        "Hotels buy from wholesalers far away. A simple ordering platform for **local dairies "
        "and butchers** would bring mountain food to the guests' plates.",
        "2026-06-08",
        ("agri-food", "tourism"),
        ("food", "hotels"),
    ),
    DemoPost(
        "joint-apprenticeships-across-borders",
        Kind.IDEA,
        MEMBER,
        "Joint apprenticeships across borders",
        "Apprentices could spend a term in a partner firm in another Alpine country, with the "
        "diploma recognised at home.",
        "2026-06-29",
        ("mechatronics", "construction"),
        ("skills", "apprenticeships"),
        Post.IdeaStatus.DISCUSSION,
    ),
    DemoPost(
        "green-public-procurement-for-timber",
        Kind.IDEA,
        MODERATOR,
        "Green public procurement for timber buildings",
        "Public buildings could count the carbon stored in timber when tenders are scored.",
        "2026-07-20",
        ("wood-timber", "construction"),
        ("procurement", "climate"),
    ),
    DemoPost(
        "a-data-space-for-alpine-tourism",
        Kind.IDEA,
        MEMBER2,
        "A data space for Alpine tourism",
        "Visitor flows, snow, transport: tourism data sits in many hands. A shared data space "
        "would let small destinations plan like big ones.",
        "2026-08-17",
        ("tourism", "ict"),
        ("data",),
    ),
    DemoPost(
        "a-fund-for-first-exports",
        Kind.IDEA,
        MEMBER,
        "A small fund for first exports",
        "The first order abroad is the hardest. A small guarantee fund for first export "
        "contracts of Alpine SMEs would lower the risk.",
        "2026-09-14",
        ("mechatronics", "agri-food"),
        ("export", "finance"),
    ),
]

PENDING = DemoPost(
    "co-working-spaces-as-cluster-antennas",
    Kind.NEWS,
    MEMBER2,
    "Co-working spaces as cluster antennas",
    "Co-working spaces in the side valleys could host a cluster desk one day a week, so that "
    "small firms meet their cluster without driving to the city.",
    "",
    ("ict",),
    ("co-working",),
)

# (post slug, author, text, index of the comment answered, hours after the post)
COMMENTS = [
    DemoComment("welcome-to-the-alpclusters-community", MEMBER, "Great to have this space!"),
    DemoComment(
        "welcome-to-the-alpclusters-community", MEMBER2, "Looking forward to the ideas.", 0, 8
    ),
    DemoComment(
        "mapping-the-alpine-clusters-first-results",
        MEMBER,
        "Our cluster in Vorarlberg is missing: I will register it this week.",
    ),
    DemoComment(
        "mapping-the-alpine-clusters-first-results",
        ORGANISER,
        "Thank you! A moderator will check it quickly.",
        2,
        9,
    ),
    DemoComment(
        "timber-construction-fair-in-bolzano",
        MEMBER2,
        "Which firms took part? We look for partners in Val Pusteria.",
    ),
    DemoComment(
        "timber-construction-fair-in-bolzano",
        MEMBER,
        "The list is on the fair's site: https://fiera-legno.example.org/espositori",
        4,
        7,
    ),
    DemoComment("hydrogen-buses-in-the-valleys", MEMBER, "How many kilometres per tank?"),
    DemoComment("hydrogen-buses-in-the-valleys", MODERATOR, "About 300 km in January.", 6, 6),
    DemoComment("digital-skills-for-mountain-smes", ORGANISER, "Could we copy this in Tirol?"),
    DemoComment("mountain-food-labels-explained", MEMBER, "Very clear, thank you."),
    DemoComment(
        "a-shared-trade-fair-stand-for-alpine-smes",
        MEMBER2,
        "Yes! Our dairy would join a shared stand in Milano.",
    ),
    DemoComment(
        "a-shared-trade-fair-stand-for-alpine-smes",
        ORGANISER,
        "The clusters could take turns organising it.",
        10,
        10,
    ),
    DemoComment(
        "a-shared-trade-fair-stand-for-alpine-smes",
        MODERATOR,
        "We heard the same need at the AlpCafé in Innsbruck.",
    ),
    DemoComment(
        "cross-border-innovation-vouchers",
        MEMBER,
        "The regions would have to agree on the rules first.",
    ),
    DemoComment("cross-border-innovation-vouchers", MEMBER2, "A pilot between two regions?", 13, 4),
    DemoComment(
        "an-alpine-timber-label", MEMBER2, "Architects in Lombardia ask us for this every week."
    ),
    DemoComment(
        "an-alpine-timber-label",
        MODERATOR,
        "There are regional labels already: could they be recognised mutually?",
    ),
    DemoComment("an-alpine-timber-label", MEMBER, "Mutual recognition would be a start.", 16, 6),
    DemoComment(
        "one-register-of-testing-facilities",
        MEMBER,
        "Our climate chamber is free two days a week.",
    ),
    DemoComment("mentoring-between-cluster-managers", MODERATOR, "I would volunteer as a mentee!"),
    DemoComment("mountain-food-in-alpine-hotels", MEMBER, "Hotels want invoices, not apps."),
    DemoComment(
        "mountain-food-in-alpine-hotels", MEMBER2, "Then the platform should do the invoices.", 20
    ),
    DemoComment(
        "joint-apprenticeships-across-borders",
        ORGANISER,
        "Recognition of the diploma is the hard part.",
    ),
    DemoComment(
        "a-data-space-for-alpine-tourism",
        MEMBER,
        "Privacy by design, please: aggregated data only.",
    ),
    DemoComment("a-fund-for-first-exports", MEMBER2, "Who would run the fund?"),
    DemoComment(
        "a-fund-for-first-exports",
        MEMBER,
        "The regional development agencies, together.",
        24,
        12,
    ),
]

# Which demo accounts support which idea (every idea has at least one support).
SUPPORTS = {
    "a-shared-trade-fair-stand-for-alpine-smes": (MEMBER2, MODERATOR, ORGANISER, ADMIN),
    "cross-border-innovation-vouchers": (MEMBER, ORGANISER, ADMIN),
    "an-alpine-timber-label": (MEMBER2, MODERATOR, ORGANISER, ADMIN, MEMBER),
    "one-register-of-testing-facilities": (MEMBER, MEMBER2),
    "mentoring-between-cluster-managers": (MODERATOR,),
    "mountain-food-in-alpine-hotels": (MEMBER, ORGANISER),
    "joint-apprenticeships-across-borders": (MEMBER2, ORGANISER, MODERATOR),
    "green-public-procurement-for-timber": (MEMBER,),
    "a-data-space-for-alpine-tourism": (ORGANISER, MEMBER),
    "a-fund-for-first-exports": (MEMBER2, MODERATOR),
}

PROPOSALS = [
    DemoProposal(
        slug="alpine-pavilions-at-international-fairs",
        title="Alpine pavilions at international fairs",
        problem=(
            "Alpine SMEs rarely exhibit at the large international fairs: a stand costs more "
            "than a small firm's yearly marketing budget, and each region invites only its own "
            "companies.\n\nAt the AlpCafés, internationalisation was the need heard most often."
        ),
        joint_action=(
            "The cluster organisations of the Alpine regions **jointly book one pavilion** at "
            "three international fairs a year and offer desks in it to their SMEs:\n\n"
            "- the regions co-fund the pavilion from their internationalisation budgets;\n"
            "- a rotating cluster organises it;\n"
            "- first-time exhibitors pay a reduced fee."
        ),
        level=PolicyProposal.Level.TRANSNATIONAL,
        ideas=("a-shared-trade-fair-stand-for-alpine-smes", "a-fund-for-first-exports"),
        alpcafes=2,
        endorsers=(MEMBER, ORGANISER, MODERATOR),
        partners=3,
        submit=False,
        opened="2026-10-12",
    ),
    DemoProposal(
        slug="mutual-recognition-of-alpine-timber-labels",
        title="Mutual recognition of Alpine timber labels",
        problem=(
            "Each Alpine region has its own label for local timber. Architects and public "
            "clients abroad do not know them, so Alpine timber competes on price alone."
        ),
        joint_action=(
            "The regions recognise each other's timber labels and count them in **green public "
            "procurement**, and the clusters present them together as one Alpine family of "
            "labels."
        ),
        level=PolicyProposal.Level.EU,
        ideas=("an-alpine-timber-label", "green-public-procurement-for-timber"),
        alpcafes=1,
        endorsers=(MEMBER, ORGANISER),
        partners=5,
        submit=True,
        opened="2026-08-03",
        submitted="2026-10-26",
    ),
]


# --- Helpers -------------------------------------------------------------------------------------


def _users() -> dict:
    emails = {ORGANISER, MODERATOR, MEMBER, MEMBER2, ADMIN}
    return {u.email: u for u in get_user_model().objects.filter(email__in=emails)}


def _report_post(alpcafe: AlpCafe, author: str) -> DemoPost:
    day = alpcafe.starts_at.astimezone(ALPINE_TZ)
    parts = [
        f"On {day.day} {day:%B %Y}, stakeholders met at "
        f"**{alpcafe.title}**" + (f" in {alpcafe.city}." if alpcafe.city else "."),
    ]
    if alpcafe.outcomes_summary:
        parts.append(alpcafe.outcomes_summary)
    if alpcafe.needs_heard:
        parts.append("## Needs we heard\n\n" + alpcafe.needs_heard)
    if alpcafe.expectations_heard:
        parts.append("## Expectations we heard\n\n" + alpcafe.expectations_heard)
    parts.append("Thank you to everyone who came. The ideas continue here on the blog.")
    published = (alpcafe.ends_at + timedelta(days=2)).astimezone(ALPINE_TZ)
    return DemoPost(
        slug=f"report-{alpcafe.slug}"[:220],
        kind=Kind.REPORT,
        author=author,
        title=f"What we heard at {alpcafe.title}"[:200],
        body="\n\n".join(parts),
        published=f"{published:%Y-%m-%d}",
        tags=("alpcafe",),
    )


def held_alpcafes() -> list[AlpCafe]:
    """The held AlpCafés at call time, the earliest first."""
    return list(AlpCafe.objects.filter(state=AlpCafe.State.HELD).order_by("starts_at", "pk"))


def planned_posts(held: list[AlpCafe]) -> list[tuple[DemoPost, AlpCafe | None]]:
    authors = [ORGANISER, ORGANISER, MEMBER, ORGANISER, MEMBER2]
    reports = [
        (_report_post(alpcafe, authors[i % len(authors)]), alpcafe)
        for i, alpcafe in enumerate(held[:REPORTS])
    ]
    return [*((p, None) for p in (*NEWS, *IDEAS, PENDING)), *reports]


def _seed_post(demo: DemoPost, alpcafe: AlpCafe | None, users: dict) -> Post | None:
    existing = Post.objects.filter(slug=demo.slug).first()
    if existing is not None:
        return existing
    author = users.get(demo.author)
    if author is None:
        return None
    published = bool(demo.published)
    # Written as the admin would save it: rendered, indexed, and no decision mail to anyone.
    post = Post(
        slug=demo.slug,
        kind=demo.kind,
        title=demo.title,
        body_markdown=demo.body,
        author=author,
        alpcafe=alpcafe,
        state=Post.State.PUBLISHED if published else Post.State.PENDING,
        published_at=_at(demo.published) if published else None,
        idea_status=demo.idea_status,
    )
    services.post_save_content(post=post)
    post.topics.set(Sector.objects.filter(slug__in=demo.topics))
    post.tags.set(services.tags_from_names(demo.tags))
    services.post_refresh_search(ids=[post.pk])
    # The clock of the demo, not of the run: the post was written when it was published.
    Post.objects.filter(pk=post.pk).update(created_at=post.published_at or timezone.now())
    return post


def _seed_comments(posts: dict[str, Post], users: dict) -> list[Comment]:
    seeded: list[Comment | None] = []
    for demo in COMMENTS:
        post, author = posts.get(demo.post), users.get(demo.author)
        if post is None or author is None or not post.is_published:
            seeded.append(None)
            continue
        parent = seeded[demo.reply_to] if demo.reply_to is not None else None
        comment = Comment.objects.filter(post=post, author=author, body=demo.body).first()
        if comment is None:
            comment = services.comment_create(
                post=post, author=author, body=demo.body, parent=parent
            )
            Comment.objects.filter(pk=comment.pk).update(
                created_at=post.published_at + timedelta(hours=demo.hours_after)
            )
        seeded.append(comment)
    return [c for c in seeded if c is not None]


def _seed_supports(posts: dict[str, Post], users: dict) -> None:
    for slug, emails in SUPPORTS.items():
        post = posts.get(slug)
        if post is None or not post.is_published:
            continue
        for email in emails:
            if email in users:
                services.support_add(post=post, user=users[email])


def _organisation_of(user) -> Stakeholder | None:
    """The demo account's organisation; one is given from the published registry when the
    account has none, so that it can endorse."""
    contact = contact_for_user(user=user)
    if contact.stakeholder_id is None:
        published = Stakeholder.objects.published().filter(is_partner=False).order_by("slug")
        taken = set(
            type(contact).objects.filter(user__isnull=False).values_list("stakeholder", flat=True)
        )
        choice = published.exclude(pk__in=[pk for pk in taken if pk]).first()
        if choice is None:
            return None
        contact.stakeholder = choice
        contact.save(update_fields=["stakeholder", "updated_at"])
    return contact.stakeholder


def _seed_proposal(
    demo: DemoProposal, posts: dict[str, Post], held: list[AlpCafe], users: dict
) -> PolicyProposal | None:
    existing = PolicyProposal.objects.filter(slug=demo.slug).first()
    if existing is not None:
        return existing
    ideas = [posts[s] for s in demo.ideas if s in posts and posts[s].is_published]
    alpcafes = held[: demo.alpcafes]
    moderator = users.get(MODERATOR)
    if moderator is None or not (ideas or alpcafes):
        return None
    proposal = services.proposal_create(
        created_by=moderator,
        title=demo.title,
        problem=demo.problem,
        joint_action=demo.joint_action,
        level=demo.level,
        ideas=ideas,
        alpcafes=alpcafes,
    )
    proposal = services.proposal_advance(proposal=proposal, status=PolicyProposal.Status.OPEN)
    endorsed: set[int] = set()
    for email in demo.endorsers:
        user = users.get(email)
        stakeholder = _organisation_of(user) if user else None
        if stakeholder is None or stakeholder.state != Stakeholder.State.PUBLISHED:
            continue
        if stakeholder.pk not in endorsed:
            services.endorsement_create(proposal=proposal, user=user)
            endorsed.add(stakeholder.pk)
    # Partners who endorsed at a meeting; the project team recorded it (no account of theirs).
    partners = Stakeholder.objects.published().filter(is_partner=True).exclude(pk__in=endorsed)
    for stakeholder in partners.order_by("slug")[: demo.partners]:
        Endorsement.objects.get_or_create(proposal=proposal, stakeholder=stakeholder)
    if demo.submit:
        proposal = services.proposal_advance(
            proposal=proposal, status=PolicyProposal.Status.SUBMITTED
        )
    PolicyProposal.objects.filter(pk=proposal.pk).update(
        opened_at=_at(demo.opened),
        submitted_at=_at(demo.submitted) if demo.submitted else None,
        created_at=_at(demo.opened) - timedelta(days=10),
    )
    Endorsement.objects.filter(proposal=proposal).update(
        created_at=_at(demo.opened) + timedelta(days=3)
    )
    return proposal


# --- Entry points --------------------------------------------------------------------------------


@transaction.atomic
def seed_blog() -> dict[str, int]:
    """The blog's demo rows; returns counts for the summary. Needs the demo accounts (and, for
    reports and endorsements, the registry and the held AlpCafés) to exist already."""
    users = _users()
    held = held_alpcafes()
    posts = {}
    for demo, alpcafe in planned_posts(held):
        post = _seed_post(demo, alpcafe, users)
        if post is not None:
            posts[demo.slug] = post
    comments = _seed_comments(posts, users)
    _seed_supports(posts, users)
    proposals = [p for d in PROPOSALS if (p := _seed_proposal(d, posts, held, users))]
    demo_posts = Post.objects.filter(slug__in=list(posts))
    return {
        "posts": len(posts),
        "pending": demo_posts.filter(state=Post.State.PENDING).count(),
        "ideas": demo_posts.filter(kind=Kind.IDEA).count(),
        "reports": demo_posts.filter(kind=Kind.REPORT).count(),
        "comments": len(comments),
        "supports": Support.objects.filter(post__in=demo_posts).count(),
        "proposals": len(proposals),
        "endorsements": Endorsement.objects.filter(proposal__in=proposals).count(),
    }


def bulk_slug(index: int) -> str:
    return f"{BULK_PREFIX}{index:05d}"


def bulk_post_count() -> int:
    return Post.objects.filter(slug__startswith=BULK_PREFIX).count()


def seed_bulk_posts(total: int, *, comments_per_post: int = 5, batch_size: int = 500) -> int:
    """Top the blog up to ``total`` generated published posts (slugs ``bulk-post-<n>``), each
    with a few comments, for benchmarks. Returns how many were added."""
    User = get_user_model()
    author, _ = User.objects.get_or_create(
        email="bench-author@example.org", defaults={"first_name": "Bench", "last_name": "Author"}
    )
    commenter, _ = User.objects.get_or_create(
        email="bench-commenter@example.org",
        defaults={"first_name": "Bench", "last_name": "Commenter"},
    )
    sectors = list(Sector.objects.order_by("slug"))
    existing = set(Post.objects.filter(slug__startswith=BULK_PREFIX).values_list("slug", flat=True))
    missing = [i for i in range(total) if bulk_slug(i) not in existing]
    start = _at("2026-01-01")
    for offset in range(0, len(missing), batch_size):
        chunk = missing[offset : offset + batch_size]
        with transaction.atomic():
            rows = []
            for i in chunk:
                body = (
                    f"Generated post {i} about **Alpine clusters**, cooperation across borders "
                    f"and the [AlpClusters registry](https://alpclusters.example.org/).\n\n"
                    + "Partners from several regions discuss shared projects. "
                    * 8
                )
                html = render_markdown(body)
                rows.append(
                    Post(
                        slug=bulk_slug(i),
                        kind=[Kind.NEWS, Kind.IDEA][i % 2],
                        title=f"Generated post {i}: cooperation across the Alps",
                        author=author,
                        body_markdown=body,
                        body_html=html,
                        excerpt=excerpt_of(html),
                        state=Post.State.PUBLISHED,
                        published_at=start + timedelta(hours=i),
                    )
                )
            posts = Post.objects.bulk_create(rows)
            if sectors:
                Post.topics.through.objects.bulk_create(
                    Post.topics.through(post_id=p.pk, sector_id=sectors[n % len(sectors)].pk)
                    for n, p in enumerate(posts)
                )
            text = "Interesting, thank you: see https://example.org/more"
            Comment.objects.bulk_create(
                Comment(post=p, author=commenter, body=text, body_html=render_comment(text))
                for p in posts
                for _ in range(comments_per_post)
            )
            services.post_refresh_search(ids=[p.pk for p in posts])
    return len(missing)
