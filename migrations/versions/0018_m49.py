"""M49 countries and derived regions: existing countries mapped to the UN M49 list, and every
submission's (and revision's) regions recomputed from its countries

Revision ID: 0018_m49
Revises: 0017_modrules
Create Date: 2026-12-05 23:00:00.000000

What happens to the data (docs/countries.md):
- Taiwan ("TW", which M49 does not list) becomes China ("CN"); duplicates are dropped.
- Any other code M49 does not list (none of ISO 3166-1's, only a forged or outdated code)
  is dropped, with a warning in the log naming the submission.
- Regions are recomputed from the countries: the M49 region of each (africa, americas, asia,
  europe, oceania) plus "global" when "Global (all countries)" is ticked. The old hand-ticked
  keys (arab_states, asia_pacific, cis) disappear; their links still work (hub/m49.py).
The same applies to pending and past revisions' content and to text kept after the cutoff.
Downgrade leaves the data as it is: the hand-ticked regions are not kept anywhere.
Rebuild the search index afterwards (`flask --app hub reindex`) so facets show the new regions.
"""

from __future__ import annotations

import logging
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0018_m49"
down_revision = "0017_modrules"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")

# A frozen copy of the M49 regions of hub/data/m49.tsv (ISO alpha-2 codes): a migration must
# not change when the data file does. Antarctica (AQ) is in M49 but in no region.
REGIONS = {
    "africa": "AO BF BI BJ BW CD CF CG CI CM CV DJ DZ EG EH ER ET GA GH GM GN GQ GW IO KE KM LR "
    "LS LY MA MG ML MR MU MW MZ NA NE NG RE RW SC SD SH SL SN SO SS ST SZ TD TF TG TN TZ UG YT "
    "ZA ZM ZW",
    "americas": "AG AI AR AW BB BL BM BO BQ BR BS BV BZ CA CL CO CR CU CW DM DO EC FK GD GF GL "
    "GP GS GT GY HN HT JM KN KY LC MF MQ MS MX NI PA PE PM PR PY SR SV SX TC TT US UY VC VE VG "
    "VI",
    "asia": "AE AF AM AZ BD BH BN BT CN CY GE HK ID IL IN IQ IR JO JP KG KH KP KR KW KZ LA LB "
    "LK MM MN MO MV MY NP OM PH PK PS QA SA SG SY TH TJ TM TR UZ VN YE",
    "europe": "AD AL AT AX BA BE BG BY CH CZ DE DK EE ES FI FO FR GB GG GI GR HR HU IE IM IS IT "
    "JE LI LT LU LV MC MD ME MK MT NL NO PL PT RO RS RU SE SI SJ SK SM UA VA",
    "oceania": "AS AU CC CK CX FJ FM GU HM KI MH MP NC NF NR NU NZ PF PG PN PW SB TK TO TV UM "
    "VU WF WS",
}
REGION_OF = {code: key for key, codes in REGIONS.items() for code in codes.split()}
KNOWN = {*REGION_OF, "AQ", "global"}
RETIRED = {"TW": "CN"}


def m49_countries(codes: Any, where: str) -> list[str]:
    """Old country codes → M49 ones, in the same order, without duplicates."""
    out: list[str] = []
    for code in codes if isinstance(codes, list) else []:
        new = RETIRED.get(code, code) if isinstance(code, str) else code
        if new not in KNOWN:
            log.warning("0018_m49: %s named %r, which M49 does not list: dropped", where, code)
        elif new not in out:
            out.append(new)
    return out


def derived_regions(countries: list[str]) -> list[str]:
    """The M49 regions of the countries, plus 'global' (the order of hub.vocab.REGIONS)."""
    found = {REGION_OF.get(code, "") for code in countries}
    if "global" in countries:
        found.add("global")
    return [key for key in (*REGIONS, "global") if key in found]


def migrated(content: Any, where: str) -> Any:
    """A content dict (a revision's, kept text) with M49 countries and derived regions."""
    if not isinstance(content, dict) or "countries" not in content:
        return content
    countries = m49_countries(content["countries"], where)
    return {**content, "countries": countries, "regions": derived_regions(countries)}


submissions = sa.table(
    "submissions",
    sa.column("id", sa.Integer),
    sa.column("countries", sa.JSON),
    sa.column("regions", sa.JSON),
    sa.column("kept_changes", sa.JSON),
)
revisions = sa.table("revisions", sa.column("id", sa.Integer), sa.column("content", sa.JSON))


def upgrade() -> None:
    """Map every stored country list to M49 and recompute the regions from it."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            submissions.c.id,
            submissions.c.countries,
            submissions.c.regions,
            submissions.c.kept_changes,
        )
    ).all()
    for row in rows:
        where = f"submission {row.id}"
        countries = m49_countries(row.countries, where)
        regions = derived_regions(countries)
        kept = migrated(row.kept_changes, f"{where} (kept text)")
        if (countries, regions, kept) != (row.countries, row.regions, row.kept_changes):
            bind.execute(
                submissions.update()
                .where(submissions.c.id == row.id)
                .values(countries=countries, regions=regions, kept_changes=kept)
            )
    for rev in bind.execute(sa.select(revisions.c.id, revisions.c.content)).all():
        content = migrated(rev.content, f"revision {rev.id}")
        if content != rev.content:
            bind.execute(revisions.update().where(revisions.c.id == rev.id).values(content=content))


def downgrade() -> None:
    """Nothing to undo in the schema; the M49 data stays (the old regions were not kept)."""
