import pytest
from django.utils.text import slugify

from stakeholders.models import Contact, Sector, Stakeholder
from stakeholders.services import stakeholder_refresh_search


@pytest.fixture
def many_stakeholders():
    """Bulk-create ``n`` published stakeholders with a sector and a consenting contact each."""

    def make(n: int, *, prefix: str = "Bulk") -> list[Stakeholder]:
        from django.utils import timezone

        sector, _ = Sector.objects.get_or_create(slug="ict", defaults={"name": "ICT"})
        rows = Stakeholder.objects.bulk_create(
            Stakeholder(
                name=f"{prefix} Cluster {i}",
                slug=slugify(f"{prefix}-cluster-{i}"),
                kind="cluster",
                country=["AT", "IT", "FR", "SI"][i % 4],
                city="Bolzano",
                region="Südtirol",
                latitude=46.5,
                longitude=11.35,
                state="published",
                origin="mapped",
                description="Bulk stakeholder",
            )
            for i in range(n)
        )
        Stakeholder.sectors.through.objects.bulk_create(
            Stakeholder.sectors.through(stakeholder_id=s.pk, sector_id=sector.pk) for s in rows
        )
        now = timezone.now()
        Contact.objects.bulk_create(
            Contact(
                stakeholder=s,
                first_name="Bulk",
                last_name=f"Person {s.pk}",
                email=f"bulk{s.pk}@private.example.net",
                listing_consent_at=now,
                mail_consent_at=now,
            )
            for s in rows
        )
        stakeholder_refresh_search()
        return rows

    return make
