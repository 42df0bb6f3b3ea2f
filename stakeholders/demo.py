"""Demo data for the stakeholder registry: sectors, 150 published stakeholders with their contacts,
three pending self-registrations, the demo accounts' contacts, and on request a large generated
registry for benchmarks. All names, addresses and websites are fictional.

Everything here is deterministic (seeded ``random.Random``) and idempotent: rows are found by a
stable slug or e-mail address and only rewritten where a value differs.
"""

from __future__ import annotations

import random
import re
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils.text import slugify

from stakeholders import services
from stakeholders.models import (
    MODERATORS_GROUP,
    ORGANISERS_GROUP,
    ConsentEvent,
    Contact,
    Country,
    Sector,
    Stakeholder,
)

# --- Accounts -------------------------------------------------------------------------------------

DEMO_PASSWORD = "alpine-demo-2014"  # noqa: S105 — printed for local use; demo data only

# (e-mail, first name, last name, staff, groups)
DEMO_USERS = [
    ("admin@example.org", "Ada", "Amstutz", True, []),
    ("organiser@example.org", "Oskar", "Obermair", False, [ORGANISERS_GROUP]),
    ("moderator@example.org", "Mira", "Mlakar", False, [MODERATORS_GROUP]),
    ("member@example.org", "Marta", "Moser", False, []),
    ("member2@example.org", "Luca", "Lanzinger", False, []),
]


def seed_users() -> list[tuple[str, str]]:
    """Create the demo accounts with verified addresses; returns (e-mail, role) pairs."""
    User = get_user_model()
    created = []
    for email, first, last, staff, groups in DEMO_USERS:
        user, is_new = User.objects.get_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "is_staff": staff,
                "is_superuser": staff,
            },
        )
        if is_new:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=groups))
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        role = "admin" if staff else (groups[0].lower().rstrip("s") if groups else "member")
        created.append((email, role))
    return created


# --- The registry ---------------------------------------------------------------------------------

SEED = 2014
BULK_SEED = 20_140_000
BULK_PREFIX = "bulk-"
BULK_SLUG = re.compile(r"^bulk-(\d+)-")
PUBLISHED_TOTAL = 150

Kind = Stakeholder.Kind
Origin = Stakeholder.Origin

# --- Vocabulary ----------------------------------------------------------------------------------

# English name: (topic for descriptions, {language: (word in names, product, product)})
SECTORS = {
    "Mechatronics": ("smart manufacturing and robotics", {
        "de": ("Mechatronik", "Antriebstechnik", "Präzisionsmechanik"),
        "fr": ("Mécatronique", "Automatismes", "Micromécanique"),
        "it": ("Meccatronica", "Automazione", "Meccanica di precisione"),
        "sl": ("Mehatronika", "Avtomatika", "Precizna mehanika"),
    }),
    "Wood & Timber": ("timber construction and the forest-wood chain", {
        "de": ("Holz", "Holzbau", "Sägewerk"),
        "fr": ("Bois", "Charpentes", "Scierie"),
        "it": ("Legno", "Legnami", "Carpenteria in legno"),
        "sl": ("Les", "Lesni izdelki", "Žaga"),
    }),
    "Agri-food": ("mountain food quality labels", {
        "de": ("Lebensmittel", "Bergkäserei", "Feinkost"),
        "fr": ("Agroalimentaire", "Fromagerie", "Salaisons"),
        "it": ("Agroalimentare", "Caseificio", "Salumificio"),
        "sl": ("Živilstvo", "Sirarna", "Mlekarna"),
    }),
    "Health & Life Sciences": ("medical devices and healthy ageing in the Alps", {
        "de": ("Life Sciences", "Medizintechnik", "Biotech"),
        "fr": ("Santé", "Biotechnologies", "Dispositifs médicaux"),
        "it": ("Scienze della vita", "Biomedicale", "Diagnostica"),
        "sl": ("Zdravje", "Medicinska tehnika", "Biotehnologija"),
    }),
    "Renewable Energy": ("small hydro power and energy efficiency", {
        "de": ("Energie", "Solartechnik", "Wasserkraft"),
        "fr": ("Énergies renouvelables", "Énergie solaire", "Hydroélectricité"),
        "it": ("Energie rinnovabili", "Energia solare", "Idroelettrica"),
        "sl": ("Obnovljivi viri", "Sončna energija", "Hidroenergija"),
    }),
    "ICT": ("cloud services and digital skills", {
        "de": ("IKT", "Software", "Datensysteme"),
        "fr": ("Numérique", "Informatique", "Logiciels"),
        "it": ("ICT", "Informatica", "Sistemi digitali"),
        "sl": ("IKT", "Informatika", "Programska oprema"),
    }),
    "Tourism": ("sustainable mountain tourism", {
        "de": ("Tourismus", "Alpenreisen", "Bergerlebnis"),
        "fr": ("Tourisme", "Voyages alpins", "Séjours montagne"),
        "it": ("Turismo", "Viaggi alpini", "Turismo montano"),
        "sl": ("Turizem", "Alpska potovanja", "Gorski turizem"),
    }),
    "Automotive": ("lightweight components and e-mobility", {
        "de": ("Automotive", "Fahrzeugteile", "Zulieferwerk"),
        "fr": ("Automobile", "Équipements automobiles", "Décolletage"),
        "it": ("Automotive", "Componenti auto", "Stampaggio"),
        "sl": ("Avtomobilska industrija", "Avtodeli", "Avtokomponente"),
    }),
    "Plastics": ("bio-based polymers and recycling", {
        "de": ("Kunststoff", "Kunststofftechnik", "Spritzguss"),
        "fr": ("Plasturgie", "Plasturgie", "Injection plastique"),
        "it": ("Plastica", "Materie plastiche", "Stampaggio plastico"),
        "sl": ("Plastika", "Plastika", "Brizganje plastike"),
    }),
    "Construction": ("energy-efficient building in the mountains", {
        "de": ("Bau", "Bau", "Baumeister"),
        "fr": ("Bâtiment", "Bâtiment", "Construction"),
        "it": ("Edilizia", "Costruzioni", "Edilizia"),
        "sl": ("Gradbeništvo", "Gradbeništvo", "Gradnje"),
    }),
    "Textiles": ("technical textiles for outdoor sports", {
        "de": ("Textil", "Textilwerk", "Loden"),
        "fr": ("Textile", "Textiles", "Tissages"),
        "it": ("Tessile", "Tessitura", "Filati"),
        "sl": ("Tekstil", "Tekstil", "Predilnica"),
    }),
    "Space & Aerospace": ("satellite navigation and earth observation", {
        "de": ("Luft- und Raumfahrt", "Raumfahrttechnik", "Luftfahrttechnik"),
        "fr": ("Aéronautique et spatial", "Aérospatial", "Systèmes spatiaux"),
        "it": ("Aerospazio", "Aerospazio", "Sistemi spaziali"),
        "sl": ("Vesolje", "Vesoljska tehnika", "Letalska tehnika"),
    }),
}  # fmt: skip
SECTOR_NAMES = list(SECTORS)
SECTOR_SLUGS = [slugify(name) for name in SECTORS]

# The sectors' names in German, French, Italian and Slovenian, by slug (also filled in by migration
# 0014 for databases seeded before).
SECTOR_TRANSLATIONS = {
    "mechatronics": ("Mechatronik", "Mécatronique", "Meccatronica", "Mehatronika"),
    "wood-timber": (
        "Holz & Holzbau",
        "Bois & construction bois",
        "Legno & costruzioni in legno",
        "Les in lesarstvo",
    ),
    "agri-food": (
        "Agrar- & Lebensmittelwirtschaft",
        "Agroalimentaire",
        "Agroalimentare",
        "Agroživilstvo",
    ),
    "health-life-sciences": (
        "Gesundheit & Life Sciences",
        "Santé & sciences du vivant",
        "Salute & scienze della vita",
        "Zdravje in znanosti o življenju",
    ),
    "renewable-energy": (
        "Erneuerbare Energien",
        "Énergies renouvelables",
        "Energie rinnovabili",
        "Obnovljivi viri energije",
    ),
    "ict": ("IKT", "TIC", "ICT", "IKT"),
    "tourism": ("Tourismus", "Tourisme", "Turismo", "Turizem"),
    "automotive": ("Automobilindustrie", "Automobile", "Automotive", "Avtomobilska industrija"),
    "plastics": ("Kunststoffe", "Plasturgie", "Materie plastiche", "Plastika"),
    "construction": ("Bauwirtschaft", "Construction", "Edilizia", "Gradbeništvo"),
    "textiles": ("Textil", "Textile", "Tessile", "Tekstil"),
    "space-aerospace": (
        "Luft- & Raumfahrt",
        "Aéronautique & spatial",
        "Aerospazio",
        "Letalstvo in vesolje",
    ),
}

# (country, region, city, latitude, longitude, language)
PLACES = [
    ("AT", "Tirol", "Innsbruck", 47.2692, 11.4041, "de"),
    ("AT", "Tirol", "Kufstein", 47.5830, 12.1700, "de"),
    ("AT", "Tirol", "Schwaz", 47.3449, 11.7088, "de"),
    ("AT", "Tirol", "Landeck", 47.1397, 10.5669, "de"),
    ("AT", "Salzburg", "Salzburg", 47.8095, 13.0550, "de"),
    ("AT", "Vorarlberg", "Dornbirn", 47.4125, 9.7417, "de"),
    ("AT", "Vorarlberg", "Bregenz", 47.5031, 9.7471, "de"),
    ("AT", "Oberösterreich", "Linz", 48.3069, 14.2858, "de"),
    ("AT", "Kärnten", "Klagenfurt", 46.6247, 14.3053, "de"),
    ("AT", "Steiermark", "Graz", 47.0707, 15.4395, "de"),
    ("CH", "Ticino", "Lugano", 46.0037, 8.9511, "it"),
    ("CH", "Ticino", "Bellinzona", 46.1946, 9.0244, "it"),
    ("CH", "Graubünden", "Chur", 46.8508, 9.5320, "de"),
    ("CH", "Valais", "Sion", 46.2331, 7.3606, "fr"),
    ("CH", "Bern", "Bern", 46.9480, 7.4474, "de"),
    ("CH", "St. Gallen", "St. Gallen", 47.4245, 9.3767, "de"),
    ("CH", "Vaud", "Lausanne", 46.5197, 6.6323, "fr"),
    ("DE", "Bayern", "München", 48.1371, 11.5754, "de"),
    ("DE", "Bayern", "Rosenheim", 47.8561, 12.1289, "de"),
    ("DE", "Bayern", "Übersee", 47.8167, 12.4833, "de"),
    ("DE", "Bayern", "Kempten", 47.7267, 10.3139, "de"),
    ("DE", "Baden-Württemberg", "Freiburg im Breisgau", 47.9990, 7.8421, "de"),
    ("DE", "Baden-Württemberg", "Ravensburg", 47.7818, 9.6120, "de"),
    ("FR", "Rhône-Alpes", "Grenoble", 45.1885, 5.7245, "fr"),
    ("FR", "Rhône-Alpes", "Annecy", 45.8992, 6.1294, "fr"),
    ("FR", "Rhône-Alpes", "Chambéry", 45.5646, 5.9178, "fr"),
    ("FR", "Rhône-Alpes", "Lyon", 45.7640, 4.8357, "fr"),
    ("FR", "Provence-Alpes-Côte d'Azur", "Nice", 43.7102, 7.2620, "fr"),
    ("FR", "Provence-Alpes-Côte d'Azur", "Gap", 44.5594, 6.0786, "fr"),
    ("FR", "Franche-Comté", "Besançon", 47.2378, 6.0241, "fr"),
    ("IT", "Lombardia", "Milano", 45.4642, 9.1900, "it"),
    ("IT", "Lombardia", "Bergamo", 45.6983, 9.6773, "it"),
    ("IT", "Lombardia", "Sondrio", 46.1699, 9.8715, "it"),
    ("IT", "Piemonte", "Torino", 45.0703, 7.6869, "it"),
    ("IT", "Piemonte", "Cuneo", 44.3845, 7.5427, "it"),
    ("IT", "Veneto", "Belluno", 46.1425, 12.2167, "it"),
    ("IT", "Veneto", "Vicenza", 45.5455, 11.5354, "it"),
    ("IT", "Trentino", "Trento", 46.0748, 11.1217, "it"),
    ("IT", "Trentino", "Rovereto", 45.8906, 11.0400, "it"),
    ("IT", "Südtirol", "Bolzano", 46.4983, 11.3548, "de"),
    ("IT", "Südtirol", "Bressanone", 46.7150, 11.6560, "de"),
    ("IT", "Südtirol", "Brunico", 46.7966, 11.9383, "de"),
    ("IT", "Valle d'Aosta", "Aosta", 45.7370, 7.3201, "it"),
    ("IT", "Friuli Venezia Giulia", "Udine", 46.0711, 13.2346, "it"),
    ("LI", "Oberland", "Vaduz", 47.1410, 9.5209, "de"),
    ("LI", "Oberland", "Schaan", 47.1650, 9.5090, "de"),
    ("LI", "Unterland", "Eschen", 47.2108, 9.5222, "de"),
    ("SI", "Gorenjska", "Kranj", 46.2389, 14.3556, "sl"),
    ("SI", "Gorenjska", "Jesenice", 46.4363, 14.0523, "sl"),
    ("SI", "Osrednjeslovenska", "Ljubljana", 46.0569, 14.5058, "sl"),
    ("SI", "Savinjska", "Celje", 46.2309, 15.2604, "sl"),
    ("SI", "Podravska", "Maribor", 46.5547, 15.6459, "sl"),
    ("SI", "Goriška", "Nova Gorica", 45.9560, 13.6480, "sl"),
]
PLACES_BY_COUNTRY = {
    country: [place for place in PLACES if place[0] == country] for country in Country.values
}

SURNAMES = {
    "de": [
        "Hofer", "Gruber", "Pichler", "Huber", "Wieser", "Steiner", "Mayrhofer", "Egger",
        "Brunner", "Lechner", "Kofler", "Thaler", "Rainer", "Haller", "Wallner", "Kröll",
        "Schöpf", "Strasser", "Fankhauser", "Bachmann", "Ammann", "Oberhuber", "Leitner",
    ],
    "fr": [
        "Favre", "Perrin", "Girard", "Bonnet", "Rey", "Blanc", "Chevallier", "Mollard", "Dupraz",
        "Jacquier", "Gaillard", "Vuillermoz", "Berthier", "Masson", "Roux", "Fournier",
        "Lacroix", "Bérard", "Excoffier", "Pernet",
    ],
    "it": [
        "Rossi", "Bianchi", "Colombo", "Ferrari", "Bonetti", "Rinaldi", "Pellegrini", "Zanetti",
        "Dal Bosco", "Moretti", "Gallo", "Costa", "Fontana", "Vitali", "Marchetti", "Bertolini",
        "Cattaneo", "Zeni", "Dellantonio", "Pedrotti",
    ],
    "sl": [
        "Novak", "Horvat", "Kranjc", "Zupan", "Potočnik", "Kovačič", "Vidmar", "Kos", "Golob",
        "Turk", "Kralj", "Zupančič", "Bizjak", "Hribar", "Rozman", "Petek", "Žagar", "Jereb",
    ],
}  # fmt: skip
FIRST_NAMES = {
    "de": [
        "Anna", "Johannes", "Lena", "Markus", "Katharina", "Florian", "Verena", "Stefan",
        "Theresa", "Lukas", "Julia", "Andreas", "Magdalena", "Matthias", "Sabine", "Jürgen",
    ],
    "fr": [
        "Camille", "Julien", "Élodie", "Mathieu", "Claire", "Nicolas", "Sophie", "Antoine",
        "Amélie", "Thomas", "Céline", "Pierre", "Manon", "Laurent", "Hélène", "François",
    ],
    "it": [
        "Giulia", "Marco", "Chiara", "Alessandro", "Francesca", "Matteo", "Elena", "Davide",
        "Sara", "Luca", "Federica", "Andrea", "Silvia", "Paolo", "Niccolò", "Lucia",
    ],
    "sl": [
        "Maja", "Luka", "Nina", "Jure", "Ana", "Matej", "Špela", "Rok", "Urška", "Blaž", "Tjaša",
        "Žiga", "Petra", "Gregor", "Mojca", "Aljaž",
    ],
}  # fmt: skip

LEGAL_FORMS = {
    # (small company, large company) by country, or by country and language where they differ.
    "AT": ("GmbH", "AG"),
    "DE": ("GmbH", "AG"),
    "CH": ("GmbH", "AG"),
    "CH-fr": ("Sàrl", "SA"),
    "CH-it": ("Sagl", "SA"),
    "LI": ("Anstalt", "AG"),
    "FR": ("SARL", "SA"),
    "IT": ("S.r.l.", "S.p.A."),
    "IT-de": ("GmbH", "AG"),
    "SI": ("d.o.o.", "d.d."),
}

# Organisation names by kind and language: {s} sector word, {p} product, {n} surname, {c} city,
# {r} region, {f}/{F} small/large legal form.
NAME_PATTERNS = {
    Kind.CLUSTER: {
        "de": ["Cluster {s} {r}", "{s}-Cluster {c}", "Netzwerk {s} {r}"],
        "fr": ["Pôle {s} {r}", "Cluster {s} {c}"],
        "it": ["Distretto {s} {r}", "Cluster {s} {c}"],
        "sl": ["Grozd {s} {r}", "Slovenski grozd {s} {c}"],
    },
    Kind.SME: {
        "de": ["{n} {p} {f}", "{p} {n} {f}"],
        "fr": ["{p} {n} {f}", "{n} {p} {f}"],
        "it": ["{p} {n} {f}", "{n} {p} {f}"],
        "sl": ["{p} {n} {f}", "{n} {p} {f}"],
    },
    Kind.LARGE_COMPANY: {
        "de": ["{n} {p} {F}", "{n}-Gruppe {p}"],
        "fr": ["Groupe {n} {p}", "{n} {p} {F}"],
        "it": ["Gruppo {n} {p}", "{n} {p} {F}"],
        "sl": ["{n} {p} {F}", "Skupina {n} {p}"],
    },
    Kind.RESEARCH: {
        "de": ["Forschungszentrum {s} {c}", "Hochschulinstitut {s} {c}"],
        "fr": ["Institut de recherche {s} de {c}", "Laboratoire {s} {c}"],
        "it": ["Istituto di ricerca {s} {c}", "Laboratorio {s} di {c}"],
        "sl": ["Raziskovalni center {s} {c}", "Inštitut {s} {c}"],
    },
    Kind.PUBLIC_AUTHORITY: {
        "de": ["Wirtschaftsförderung {c}", "Amt für Wirtschaft und Innovation {r}"],
        "fr": ["Agence de développement économique {c}", "Direction de l'économie {r}"],
        "it": ["Agenzia per lo sviluppo {c}", "Ufficio innovazione {r}"],
        "sl": ["Regionalna razvojna agencija {c}", "Urad za gospodarstvo {c}"],
    },
    Kind.BUSINESS_SUPPORT: {
        "de": ["Gründerzentrum {c}", "Technologiezentrum {s} {c}"],
        "fr": ["Pépinière d'entreprises {c}", "Technopôle {s} {c}"],
        "it": ["Incubatore {s} {c}", "Parco tecnologico {c}"],
        "sl": ["Podjetniški inkubator {c}", "Tehnološki park {s} {c}"],
    },
    Kind.ASSOCIATION: {
        "de": ["Verband {s} {r}", "Fachverein {s} {c}"],
        "fr": ["Association {s} {r}", "Union des entreprises {s} {c}"],
        "it": ["Associazione {s} {r}", "Unione imprese {s} {c}"],
        "sl": ["Združenje {s} {r}", "Društvo {s} {c}"],
    },
    Kind.OTHER: {
        "de": ["Stiftung {s} {r}", "Genossenschaft {p} {c}"],
        "fr": ["Fondation {s} {r}", "Coopérative {p} {c}"],
        "it": ["Fondazione {s} {r}", "Cooperativa {p} {c}"],
        "sl": ["Zavod {s} {c}", "Zadruga {p} {c}"],
    },
}

# Descriptions are in English, the project's working language: {sector}, {topic}, {city},
# {region}, {count}, {staff}, {year}.
DESCRIPTIONS = {
    Kind.CLUSTER: "Cluster organisation bringing together {count} companies and research "
    "centres in {sector} across {region}.",
    Kind.SME: "Family-run company in {city} specialised in {sector}.",
    Kind.LARGE_COMPANY: "Industrial group headquartered in {city} with about {staff} "
    "employees in {sector}.",
    Kind.RESEARCH: "Applied research institute in {city} working on {topic}.",
    Kind.PUBLIC_AUTHORITY: "Regional administration responsible for economic development and "
    "innovation policy in {region}.",
    Kind.BUSINESS_SUPPORT: "Business-support organisation in {city} offering incubation, "
    "coaching and access to finance for start-ups in {sector}.",
    Kind.ASSOCIATION: "Trade association representing {count} member companies in {sector} "
    "in {region}.",
    Kind.OTHER: "Foundation in {city} promoting {topic} in the Alpine regions.",
}
MORE_SENTENCES = [
    "Member of the regional {sector} cluster since {year}.",
    "Interested in cross-border cluster cooperation on {topic}.",
    "Its team works with universities and cluster managers in {region}.",
    "Looking for partners in the Alpine Space for projects on {topic}.",
    "Took part in the mapping of Alpine cluster stakeholders.",
]

FIRST_ROLES = {
    Kind.CLUSTER: "Cluster manager",
    Kind.SME: "Managing director",
    Kind.LARGE_COMPANY: "Head of innovation",
    Kind.RESEARCH: "Head of research group",
    Kind.PUBLIC_AUTHORITY: "Policy officer",
    Kind.BUSINESS_SUPPORT: "Innovation consultant",
    Kind.ASSOCIATION: "Secretary general",
    Kind.OTHER: "Programme manager",
}
OTHER_ROLES = [
    "Project officer",
    "Communications officer",
    "Head of R&D",
    "Business developer",
    "International relations",
    "Researcher",
]

TLDS = ["example.org", "example.net", "example.com"]
CONSENT_START = datetime(2013, 10, 1, 9, 0, tzinfo=UTC)
CONSENT_SOURCE = {Origin.MAPPED: "mapped by partner", Origin.IMPORTED: "imported from partner list"}

# Weights of the generated published stakeholders (the hand-written ones come on top).
COUNTRY_COUNTS = {"AT": 26, "CH": 20, "DE": 22, "FR": 22, "IT": 30, "LI": 4, "SI": 17}
KIND_COUNTS = {
    Kind.SME: 45,
    Kind.CLUSTER: 14,
    Kind.LARGE_COMPANY: 14,
    Kind.RESEARCH: 20,
    Kind.PUBLIC_AUTHORITY: 13,
    Kind.BUSINESS_SUPPORT: 12,
    Kind.ASSOCIATION: 14,
    Kind.OTHER: 9,
}


# --- Hand-written rows: the partners and the ones the demo accounts touch ------------------------


@dataclass
class Entry:
    name: str
    kind: str
    country: str
    region: str
    city: str
    latitude: Decimal
    longitude: Decimal
    website: str
    description: str
    sectors: list[str]
    language: str
    origin: str = Origin.MAPPED
    is_partner: bool = False
    slug: str = ""
    contacts: list[dict] = field(default_factory=list)


def _place(city: str) -> tuple:
    return next(place for place in PLACES if place[2] == city)


def _entry(name, kind, city, sectors, website, description, *, is_partner=False) -> Entry:
    country, region, city, lat, lon, language = _place(city)
    return Entry(
        name=name,
        kind=kind,
        country=country,
        region=region,
        city=city,
        latitude=Decimal(f"{lat:.5f}"),
        longitude=Decimal(f"{lon:.5f}"),
        website=website,
        description=description,
        sectors=sectors,
        language=language,
        is_partner=is_partner,
        slug=slugify(name),
    )


PARTNERS = [
    _entry(
        "Alpenland Innovationsagentur Tirol",
        Kind.BUSINESS_SUPPORT,
        "Innsbruck",
        ["mechatronics", "health-life-sciences", "ict"],
        "https://www.alpenland-innovation.example.org/",
        "Lead partner of AlpClusters 2020. Regional innovation agency running the Tyrolean "
        "cluster programmes in mechatronics, life sciences and ICT.",
        is_partner=True,
    ),
    _entry(
        "Cluster Mechatronik & Automation Inn-Chiemgau",
        Kind.CLUSTER,
        "Rosenheim",
        ["mechatronics", "automotive", "plastics"],
        "https://www.cluster-inn-chiemgau.example.org/",
        "Cluster organisation of about 180 companies in mechatronics and automation between "
        "the Inn valley and the Chiemsee. Project partner of AlpClusters 2020.",
        is_partner=True,
    ),
    _entry(
        "Pôle Alpin des Entreprises Innovantes",
        Kind.CLUSTER,
        "Annecy",
        ["mechatronics", "space-aerospace", "textiles"],
        "https://www.pole-alpin-innovation.example.net/",
        "Cluster of innovative industrial companies in Savoie and Haute-Savoie. Project partner "
        "of AlpClusters 2020 and host of the first French AlpCafé.",
        is_partner=True,
    ),
    _entry(
        "Consorzio Cluster Alpi Lombarde",
        Kind.CLUSTER,
        "Bergamo",
        ["agri-food", "plastics", "construction"],
        "https://www.alpi-lombarde.example.org/",
        "Consortium of Lombard clusters in the pre-Alpine valleys. Project partner of "
        "AlpClusters 2020.",
        is_partner=True,
    ),
    _entry(
        "Innovationsnetz Ostalpen",
        Kind.BUSINESS_SUPPORT,
        "Chur",
        ["tourism", "renewable-energy", "wood-timber"],
        "https://www.innovationsnetz-ostalpen.example.net/",
        "Business-support network for the cantons of the Eastern Alps. Project partner of "
        "AlpClusters 2020, focused on tourism and renewable energy.",
        is_partner=True,
    ),
    _entry(
        "Gorenjski grozd za inovacije",
        Kind.CLUSTER,
        "Kranj",
        ["automotive", "ict", "wood-timber"],
        "https://www.gorenjski-grozd.example.org/",
        "Regional cluster organisation of Gorenjska. Project partner of AlpClusters 2020.",
        is_partner=True,
    ),
]
FEATURED = [
    _entry(
        "Zangerl Holzbau GmbH",
        Kind.SME,
        "Schwaz",
        ["wood-timber", "construction"],
        "https://www.zangerl-holzbau.example.org/",
        "Timber construction company in the lower Inn valley. Member of the Tyrolean wood cluster.",
    ),
    _entry(
        "Bergkäserei Obermoser KG",
        Kind.SME,
        "Bressanone",
        ["agri-food", "tourism"],
        "https://www.obermoser-kaese.example.net/",
        "Mountain dairy in Südtirol making hay-milk cheese. Works with hotels on local food "
        "for tourism.",
    ),
    _entry(
        "Solarwerk Übersee GmbH",
        Kind.SME,
        "Übersee",
        ["renewable-energy"],
        "https://www.solarwerk-uebersee.example.com/",
        "Installer and planner of solar plants at the Chiemsee.",
    ),
]

# Submitted by demo members (whose contacts already carry their roles) and waiting for a
# moderator. The first is a likely duplicate of a published stakeholder (same website domain),
# so that the moderation queue has one to merge.
PENDING = [
    (
        "member2@example.org",
        _entry(
            "Käserei Obermoser",
            Kind.SME,
            "Bressanone",
            ["agri-food"],
            "http://obermoser-kaese.example.net/kontakt",
            "Cheese dairy above Bressanone.",
        ),
    ),
    (
        "member2@example.org",
        _entry(
            "Laboratorio Digitale Brunico",
            Kind.BUSINESS_SUPPORT,
            "Brunico",
            ["ict"],
            "https://www.lab-brunico.example.org/",
            "A co-working space and maker lab for young companies in Val Pusteria.",
        ),
    ),
    (
        "member@example.org",
        _entry(
            "Tiroler Zirbenholz Kooperation",
            Kind.ASSOCIATION,
            "Landeck",
            ["wood-timber"],
            "https://www.zirbenholz.example.net/",
            "Joiners and sawmills of the upper Inn valley working with Swiss pine.",
        ),
    ),
]

# The demo accounts' own contacts: (stakeholder slug or None, role, language).
USER_CONTACTS = {
    "organiser@example.org": ("alpenland-innovationsagentur-tirol", "AlpCafé coordinator", "de"),
    "moderator@example.org": ("gorenjski-grozd-za-inovacije", "Registry moderator", "sl"),
    "member@example.org": ("zangerl-holzbau-gmbh", "Innovation manager", "de"),
    "member2@example.org": (None, "Founder", "it"),
}


# --- Generation ----------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    return slugify(text).replace("-", "")


def _label(slug: str) -> str:
    # A DNS label holds at most 63 characters; 40 keeps addresses readable.
    return slug[:40].strip("-")


def _generate(rng: random.Random, *, kind: str, country: str) -> Entry:
    """One fictional stakeholder of ``kind`` in ``country``; its name may repeat elsewhere."""
    _c, region, city, lat, lon, language = rng.choice(PLACES_BY_COUNTRY[country])
    sector_indexes = rng.sample(range(len(SECTOR_NAMES)), rng.choice((1, 1, 2, 2, 3)))
    main_name = SECTOR_NAMES[sector_indexes[0]]
    topic, words = SECTORS[main_name]
    sector_word, *products = words[language]
    small, large = LEGAL_FORMS.get(f"{country}-{language}", LEGAL_FORMS[country])
    name = rng.choice(NAME_PATTERNS[kind][language]).format(
        s=sector_word,
        p=rng.choice(products),
        n=rng.choice(SURNAMES[language]),
        c=city,
        r=region,
        f=small,
        F=large,
    )
    values = {
        "sector": main_name.lower() if main_name != "ICT" else main_name,
        "topic": topic,
        "city": city,
        "region": region,
        "count": rng.randrange(12, 240),
        "staff": rng.randrange(250, 4000, 50),
        "year": rng.randrange(2005, 2014),
    }
    sentences = [DESCRIPTIONS[kind], *rng.sample(MORE_SENTENCES, 2)]
    description = " ".join(s.format(**values) for s in sentences[: rng.randint(1, 3)])
    return Entry(
        name=name,
        kind=kind,
        country=country,
        region=region,
        city=city,
        # Jitter of about two kilometres so that markers in one city do not sit on each other.
        latitude=Decimal(f"{lat + rng.uniform(-0.02, 0.02):.5f}"),
        longitude=Decimal(f"{lon + rng.uniform(-0.03, 0.03):.5f}"),
        website="",
        description=description,
        sectors=[SECTOR_SLUGS[i] for i in sector_indexes],
        language=language,
        origin=Origin.IMPORTED if rng.random() < 0.15 else Origin.MAPPED,
    )


def _contact(rng: random.Random, entry: Entry, role: str, taken: set[str]) -> dict:
    language = "en" if rng.random() < 0.1 else entry.language
    first = rng.choice(FIRST_NAMES[entry.language])
    last = rng.choice(SURNAMES[entry.language])
    local = f"{_ascii(first)}.{_ascii(last)}"
    email = f"{local}@{_label(entry.slug)}.example.net"
    n = 2
    while email in taken:
        email, n = f"{local}{n}@{_label(entry.slug)}.example.net", n + 1
    taken.add(email)
    roll = rng.random()
    listing = mail = None
    # Most agreed to both when a partner mapped them; some to one of the two, a few to neither.
    if roll < 0.92:
        listing = CONSENT_START + timedelta(minutes=rng.randrange(270 * 24 * 60))
    if roll < 0.8 or 0.92 <= roll < 0.96:
        mail = CONSENT_START + timedelta(minutes=rng.randrange(270 * 24 * 60))
    source = CONSENT_SOURCE[entry.origin]
    # Some of those who accept mail chose a digest (by their address, not from rng: the rest of
    # the demo stays as it was).
    digest = (
        ("weekly", "monthly", *["never"] * 6)[zlib.crc32(email.encode()) % 8] if mail else "never"
    )
    return {
        "email": email,
        "first_name": first,
        "last_name": last,
        "role": role,
        "language": language,
        "listing_consent_at": listing,
        "listing_consent_source": source if listing else "",
        "mail_consent_at": mail,
        "mail_consent_source": source if mail else "",
        "digest_frequency": digest,
    }


def _add_contacts(rng: random.Random, entry: Entry, taken: set[str], *, count: int) -> None:
    roles = [FIRST_ROLES[entry.kind], *rng.sample(OTHER_ROLES, count - 1)]
    entry.contacts = [_contact(rng, entry, role, taken) for role in roles]


def published_entries() -> list[Entry]:
    """The 150 published demo stakeholders with their contacts, the same list on every call."""
    rng = random.Random(SEED)  # noqa: S311 — demo data: reproducible, not secret
    countries = [c for c, n in COUNTRY_COUNTS.items() for _ in range(n)]
    kinds = [k for k, n in KIND_COUNTS.items() for _ in range(n)]
    rng.shuffle(countries)
    rng.shuffle(kinds)
    entries = [*PARTNERS, *FEATURED]
    names = {e.name for e in entries}
    slugs = {e.slug for e in entries}
    for country, kind in zip(countries, kinds, strict=True):
        for _attempt in range(50):
            entry = _generate(rng, kind=kind, country=country)
            if entry.name not in names and slugify(entry.name) not in slugs:
                break
        else:
            raise RuntimeError(f"No free demo name for {kind} in {country}")
        entry.slug = slugify(entry.name)
        entry.website = f"https://www.{_label(entry.slug)}.{rng.choice(TLDS)}/"
        names.add(entry.name)
        slugs.add(entry.slug)
        entries.append(entry)
    taken: set[str] = set()
    for entry in entries:
        _add_contacts(rng, entry, taken, count=2 if rng.random() < 0.45 else 1)
    assert len(entries) == PUBLISHED_TOTAL  # noqa: S101 — the counts above must add up
    return entries


# --- Writing -------------------------------------------------------------------------------------


def _upsert(model, existing, lookup: dict, values: dict):
    """Create the row, or rewrite only the fields that differ (so a re-run changes nothing)."""
    if existing is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(existing, name) != value]
    if changed:
        for name in changed:
            setattr(existing, name, values[name])
        existing.save(update_fields=[*changed, "updated_at"])
    return existing


def seed_sectors() -> dict[str, Sector]:
    sectors = {}
    for name in SECTOR_NAMES:
        slug = slugify(name)
        names = dict(zip(Sector.TRANSLATED, SECTOR_TRANSLATIONS[slug], strict=True))
        sector, _created = Sector.objects.update_or_create(
            slug=slug, defaults={"name": name, **{f"name_{k}": v for k, v in names.items()}}
        )
        sectors[sector.slug] = sector
    return sectors


def _seed_consent_events(contact: Contact) -> None:
    for kind, (at_field, source_field) in services.CONSENT_FIELDS.items():
        at = getattr(contact, at_field)
        if at is not None:
            ConsentEvent.objects.get_or_create(
                contact=contact,
                kind=kind,
                granted=True,
                at=at,
                defaults={"source": getattr(contact, source_field)},
            )


PROJECT_START = datetime(2013, 9, 2, 9, 0, tzinfo=UTC)


def _mapped_at(entry: Entry, index: int) -> datetime:
    """When the partners mapped the stakeholder, during the AlpClusters 2020 project: the
    partners themselves at its start, the others a few days before their contacts' first
    consent (or, without one, spread over the mapping months)."""
    if entry.is_partner:
        return PROJECT_START
    consents = [
        moment
        for contact in entry.contacts
        for moment in (contact["listing_consent_at"], contact["mail_consent_at"])
        if moment is not None
    ]
    if consents:
        return min(consents) - timedelta(days=3)
    return CONSENT_START + timedelta(days=(index * 7) % 270)


def seed_published(sectors: dict[str, Sector]) -> list[Stakeholder]:
    entries = published_entries()
    existing = Stakeholder.objects.in_bulk([e.slug for e in entries], field_name="slug")
    emails = [c["email"] for e in entries for c in e.contacts]
    contacts = {c.email: c for c in Contact.objects.filter(email__in=emails)}
    stakeholders = []
    for index, entry in enumerate(entries):
        stakeholder = _upsert(
            Stakeholder,
            existing.get(entry.slug),
            {"slug": entry.slug},
            {
                "name": entry.name,
                "kind": entry.kind,
                "country": entry.country,
                "region": entry.region,
                "city": entry.city,
                "latitude": entry.latitude,
                "longitude": entry.longitude,
                "website": entry.website,
                "description": entry.description,
                "is_partner": entry.is_partner,
                "state": Stakeholder.State.PUBLISHED,
                "origin": entry.origin,
            },
        )
        stakeholder.sectors.set([sectors[slug] for slug in entry.sectors])
        mapped_at = _mapped_at(entry, index)
        if stakeholder.created_at != mapped_at:
            # Dated to when the partners mapped it rather than to the day the demo was loaded.
            Stakeholder.objects.filter(pk=stakeholder.pk).update(created_at=mapped_at)
            stakeholder.created_at = mapped_at
        for values in entry.contacts:
            values = dict(values)
            email = values.pop("email")
            contact = _upsert(
                Contact,
                contacts.get(email),
                {"email": email},
                {**values, "stakeholder_id": stakeholder.pk},
            )
            _seed_consent_events(contact)
        stakeholders.append(stakeholder)
    return stakeholders


def seed_user_contacts() -> None:
    """The demo accounts' contacts, through the same service a signing-up member goes through."""
    User = get_user_model()
    for email, (slug, role, language) in USER_CONTACTS.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        contact = services.contact_for_user(user=user)
        values = {"role": role, "language": language}
        if slug is not None:
            values["stakeholder_id"] = Stakeholder.objects.get(slug=slug).pk
        _upsert(Contact, contact, {}, values)
        for kind in services.CONSENT_FIELDS:
            services.contact_set_consent(contact=contact, kind=kind, granted=True, source="sign-up")


def seed_pending(sectors: dict[str, Sector]) -> list[Stakeholder]:
    """Self-registrations by the demo members, each made once: a moderator may since have
    published or rejected it, and a re-run must not undo that decision."""
    User = get_user_model()
    pending = []
    for email, entry in PENDING:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        registered = Stakeholder.objects.filter(submitted_by=user, name=entry.name).first()
        if registered is None:
            registered = services.stakeholder_register(
                user=user,
                sectors=[sectors[slug] for slug in entry.sectors],
                name=entry.name,
                kind=entry.kind,
                country=entry.country,
                region=entry.region,
                city=entry.city,
                latitude=entry.latitude,
                longitude=entry.longitude,
                website=entry.website,
                description=entry.description,
            )
        pending.append(registered)
    return pending


def seed_registry() -> dict[str, int]:
    """Sectors, the published registry with contacts, the demo accounts' contacts and the pending
    self-registrations; then the search index of these rows. Returns counts for the summary."""
    sectors = seed_sectors()
    published = seed_published(sectors)
    seed_user_contacts()
    pending = seed_pending(sectors)
    services.stakeholder_refresh_search(ids=[s.pk for s in (*published, *pending)])
    return {"sectors": len(sectors), "published": len(published), "pending": len(pending)}


# --- Bulk registry for benchmarks ----------------------------------------------------------------


BULK_COUNTRIES = list(COUNTRY_COUNTS)
BULK_COUNTRY_WEIGHTS = list(COUNTRY_COUNTS.values())
BULK_KINDS = list(KIND_COUNTS)
BULK_KIND_WEIGHTS = list(KIND_COUNTS.values())


def bulk_count() -> int:
    return len(_bulk_indexes())


def _bulk_indexes() -> set[int]:
    slugs = Stakeholder.objects.filter(slug__startswith=BULK_PREFIX).values_list("slug", flat=True)
    return {int(m.group(1)) for m in map(BULK_SLUG.match, slugs.iterator()) if m}


def _bulk_rows(index: int, sector_ids: list[int]):
    """The stakeholder, its sector ids and its contact for bulk row ``index`` (its own seed, so a
    row is the same whichever rows already exist)."""
    rng = random.Random(BULK_SEED + index)  # noqa: S311 — demo data: reproducible, not secret
    country = rng.choices(BULK_COUNTRIES, weights=BULK_COUNTRY_WEIGHTS)[0]
    kind = rng.choices(BULK_KINDS, weights=BULK_KIND_WEIGHTS)[0]
    entry = _generate(rng, kind=kind, country=country)
    entry.slug = f"{BULK_PREFIX}{index:06d}-{slugify(entry.name)[:80]}".rstrip("-")
    entry.website = f"https://www.{_label(entry.slug)}.{rng.choice(TLDS)}/"
    stakeholder = Stakeholder(
        name=entry.name,
        slug=entry.slug,
        kind=entry.kind,
        country=entry.country,
        region=entry.region,
        city=entry.city,
        latitude=entry.latitude,
        longitude=entry.longitude,
        website=entry.website,
        description=entry.description,
        state=Stakeholder.State.PUBLISHED,
        origin=entry.origin,
    )
    contact = Contact(**_contact(rng, entry, FIRST_ROLES[kind], set()))
    return stakeholder, [sector_ids[SECTOR_SLUGS.index(s)] for s in entry.sectors], contact


def seed_bulk_stakeholders(total: int, *, batch_size: int = 5000) -> int:
    """Top the generated registry up to ``total`` published stakeholders (slugs ``bulk-…``), each
    with sectors and one contact with consents; returns how many were added.

    Rows go in with bulk inserts, in one transaction, and the search index is filled by one
    UPDATE at the end.
    """
    existing = _bulk_indexes()
    missing = total - len(existing)
    if missing <= 0:
        return 0
    sectors = seed_sectors()
    sector_ids = [sectors[slug].pk for slug in SECTOR_SLUGS]
    Link = Stakeholder.sectors.through
    new_ids: list[int] = []
    index = 0
    with transaction.atomic():
        while len(new_ids) < missing:
            rows = []
            while len(rows) < min(batch_size, missing - len(new_ids)):
                if index not in existing:
                    rows.append(_bulk_rows(index, sector_ids))
                index += 1
            created = Stakeholder.objects.bulk_create([s for s, _ids, _c in rows])
            Link.objects.bulk_create(
                Link(stakeholder_id=s.pk, sector_id=sector_id)
                for s, ids, _c in rows
                for sector_id in ids
            )
            for stakeholder, _ids, contact in rows:
                contact.stakeholder_id = stakeholder.pk
            contacts = Contact.objects.bulk_create([c for _s, _ids, c in rows])
            ConsentEvent.objects.bulk_create(
                ConsentEvent(
                    contact_id=contact.pk,
                    kind=kind,
                    granted=True,
                    source=getattr(contact, source_field),
                    at=getattr(contact, at_field),
                )
                for contact in contacts
                for kind, (at_field, source_field) in services.CONSENT_FIELDS.items()
                if getattr(contact, at_field) is not None
            )
            new_ids.extend(s.pk for s in created)
        services.stakeholder_refresh_search(ids=new_ids)
    if connection.vendor == "postgresql":
        # Right after a bulk load the planner's statistics describe the empty table.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE stakeholders_stakeholder, stakeholders_contact")
    return len(new_ids)
