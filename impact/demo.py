"""Demo data for the catalogue of initiatives: AlpClusters 2020 itself — the project's real facts,
its six partners being the registry's demo partners — and one fictional earlier project,
imported from a CSV file shaped like the programme's project database, through the same dry run
and import as the admin's.

Idempotent: a re-run finds each initiative by name and programme and rewrites nothing that is
unchanged. Needs the registry's demo data first (the partners are its stakeholders).
"""

from pathlib import Path

from . import importing

DEMO_CSV = Path(__file__).with_name("data") / "initiatives-demo.csv"


def seed_initiatives() -> dict[str, int]:
    result = importing.parse(DEMO_CSV.read_bytes())
    if not result.is_valid:
        problems = result.errors + [f"row {r.number}: {e}" for r in result.rows for e in r.errors]
        raise RuntimeError("The demo initiatives do not import: " + "; ".join(problems))
    initiatives = importing.import_initiatives(result)
    return {
        "initiatives": len(initiatives),
        "partners": sum(len(row.partners) for row in result.rows),
        "linked": sum(len(row.partners) - len(row.unlinked) for row in result.rows),
    }
