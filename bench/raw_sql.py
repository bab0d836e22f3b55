"""The floor for each benchmarked endpoint: hand-written SQL doing the same database work.

Each entry lists the statements a lean hand-written implementation would send for the
same response: the page's rows with their aggregates and the pagination count for a
list, the grouped figures for a report. The benchmark times them with psycopg directly
(no Django, no HTTP, no JSON), so `HTTP median / raw median` is what the framework, the
ORM's formulation and the network add on top of the unavoidable work.

Reports are written the way a person who knows PostgreSQL would write them (one GROUP BY
per breakdown, FILTER clauses instead of one query per measure); where the ORM uses
correlated subqueries per row the floor uses a single grouped join, so a ratio well
above 1 points at the formulation, not at the database.
"""

# ruff: noqa: S608 - fixed SQL text assembled from constants of this module, no input

ACTIVE = "p.status <> 'cancelled'"
COMMITTED = "p.status IN ('committed', 'in_progress', 'realized')"

PAGE_OF_ZONE_IDS = "SELECT id FROM zones_zone ORDER BY name LIMIT 100"

RAW_SQL = {
    "api zones": [
        "SELECT count(*) FROM zones_zone",
        f"""
        SELECT z.*, d.slug, d.name,
          (SELECT coalesce(sum(p.amount_usd), 0) FROM investments_pledge p
            WHERE p.zone_id = z.id AND {ACTIVE}) AS pledged_usd,
          (SELECT coalesce(sum(p.realized_usd), 0) FROM investments_pledge p
            WHERE p.zone_id = z.id AND {ACTIVE}) AS realized_usd,
          (SELECT count(*) FROM investments_pledge p
            WHERE p.zone_id = z.id AND {ACTIVE}) AS pledge_count
        FROM zones_zone z JOIN zones_zonedeveloper d ON d.id = z.developer_id
        ORDER BY z.name LIMIT 100
        """,
        f"""SELECT zs.zone_id, s.slug, s.name FROM zones_zone_sectors zs
            JOIN zones_sector s ON s.id = zs.sector_id WHERE zs.zone_id IN ({PAGE_OF_ZONE_IDS})""",
        f"""SELECT zi.zone_id, i.slug FROM zones_zone_incentives zi
            JOIN zones_incentive i ON i.id = zi.incentive_id
            WHERE zi.zone_id IN ({PAGE_OF_ZONE_IDS})""",
        f"""SELECT * FROM zones_zonestatuschange WHERE zone_id IN ({PAGE_OF_ZONE_IDS})
            ORDER BY changed_on, id""",
    ],
    "api developers": [
        "SELECT count(*) FROM zones_zonedeveloper",
        """SELECT d.*, (SELECT count(*) FROM zones_zone z WHERE z.developer_id = d.id)
           FROM zones_zonedeveloper d ORDER BY d.name LIMIT 100""",
    ],
    "api incentives": [
        "SELECT count(*) FROM zones_incentive",
        """SELECT i.*, (SELECT count(*) FROM zones_zone_incentives zi
                        WHERE zi.incentive_id = i.id)
           FROM zones_incentive i ORDER BY i.name LIMIT 100""",
    ],
    "api companies": [
        "SELECT count(*) FROM companies_company",
        f"""
        SELECT c.*, s.slug, s.name,
          (SELECT coalesce(sum(p.amount_usd), 0) FROM investments_pledge p
            WHERE p.company_id = c.id AND {ACTIVE}),
          (SELECT coalesce(sum(p.realized_usd), 0) FROM investments_pledge p
            WHERE p.company_id = c.id AND {ACTIVE}),
          (SELECT count(*) FROM investments_pledge p WHERE p.company_id = c.id AND {ACTIVE}),
          (SELECT count(*) FROM companies_interestregistration r WHERE r.company_id = c.id)
        FROM companies_company c LEFT JOIN zones_sector s ON s.id = c.sector_id
        ORDER BY c.name LIMIT 100
        """,
    ],
    "api interests": [
        "SELECT count(*) FROM companies_interestregistration",
        """SELECT r.*, c.name, c.origin, c.country FROM companies_interestregistration r
           JOIN companies_company c ON c.id = r.company_id
           ORDER BY r.created DESC LIMIT 100""",
        """SELECT rz.interestregistration_id, z.id, z.slug, z.name
           FROM companies_interestregistration_zones rz JOIN zones_zone z ON z.id = rz.zone_id
           WHERE rz.interestregistration_id IN (
             SELECT id FROM companies_interestregistration ORDER BY created DESC LIMIT 100)""",
    ],
    "api pledges": [
        "SELECT count(*) FROM investments_pledge",
        """SELECT p.*, c.name, c.origin, c.country, z.slug, z.name, r.reference
           FROM investments_pledge p
           JOIN companies_company c ON c.id = p.company_id
           JOIN zones_zone z ON z.id = p.zone_id
           LEFT JOIN companies_interestregistration r ON r.id = p.registration_id
           ORDER BY p.pledged_on DESC, p.id DESC LIMIT 100""",
    ],
    "report rollout": [
        "SELECT status, count(*) FROM zones_zone GROUP BY status",
        """SELECT province, count(*), count(*) FILTER (WHERE status = 'operational'),
                  count(*) FILTER (WHERE status = 'under_development')
           FROM zones_zone GROUP BY province ORDER BY province""",
        """SELECT date_trunc('quarter', target_opening_date), count(*) FROM zones_zone
           WHERE status <> 'cancelled' AND target_opening_date IS NOT NULL GROUP BY 1""",
        """SELECT date_trunc('quarter', actual_opening_date), count(*) FROM zones_zone
           WHERE actual_opening_date IS NOT NULL GROUP BY 1""",
        "SELECT * FROM investments_target WHERE metric = 'zones_operational'",
        "SELECT count(*) FROM zones_zone WHERE status = 'operational'",
    ],
    "report investment": [
        f"""SELECT sum(amount_usd) FILTER (WHERE {ACTIVE}),
                  sum(amount_usd) FILTER (WHERE {COMMITTED}),
                  sum(realized_usd) FILTER (WHERE {ACTIVE}), count(*) FILTER (WHERE {ACTIVE})
           FROM investments_pledge p""",
        f"""SELECT z.slug, z.name, a.* FROM zones_zone z LEFT JOIN (
             SELECT zone_id, sum(amount_usd) FILTER (WHERE {ACTIVE}) AS pledged_usd,
                    sum(amount_usd) FILTER (WHERE {COMMITTED}) AS committed_usd,
                    sum(realized_usd) FILTER (WHERE {ACTIVE}) AS realized_usd,
                    count(*) FILTER (WHERE {ACTIVE}) AS pledge_count
             FROM investments_pledge p GROUP BY zone_id) a ON a.zone_id = z.id
           ORDER BY a.pledged_usd DESC NULLS LAST, z.name""",
        f"""SELECT c.origin, sum(p.amount_usd) FILTER (WHERE {ACTIVE}),
                  sum(p.amount_usd) FILTER (WHERE {COMMITTED}),
                  sum(p.realized_usd) FILTER (WHERE {ACTIVE}), count(*) FILTER (WHERE {ACTIVE})
           FROM investments_pledge p JOIN companies_company c ON c.id = p.company_id
           GROUP BY c.origin""",
        """SELECT status, sum(amount_usd), sum(realized_usd), count(*)
           FROM investments_pledge GROUP BY status""",
        f"""SELECT date_trunc('quarter', pledged_on), sum(amount_usd) FILTER (WHERE {ACTIVE}),
                  sum(amount_usd) FILTER (WHERE {COMMITTED})
           FROM investments_pledge p GROUP BY 1""",
        f"""SELECT date_trunc('quarter', d.disbursed_on), sum(d.amount_usd)
           FROM investments_disbursement d JOIN investments_pledge p ON p.id = d.pledge_id
           WHERE {ACTIVE} GROUP BY 1""",
        """SELECT count(*), count(DISTINCT company_id),
                  count(*) FILTER (WHERE status = 'accepted'),
                  count(DISTINCT company_id) FILTER (WHERE status = 'accepted'),
                  sum(planned_investment_usd)
           FROM companies_interestregistration""",
        f"""SELECT count(*) FILTER (WHERE {ACTIVE}),
                  count(DISTINCT company_id) FILTER (WHERE {ACTIVE}),
                  sum(amount_usd) FILTER (WHERE {ACTIVE}),
                  count(*) FILTER (WHERE {COMMITTED}),
                  count(DISTINCT company_id) FILTER (WHERE {COMMITTED}),
                  sum(amount_usd) FILTER (WHERE {COMMITTED}),
                  count(*) FILTER (WHERE {ACTIVE} AND realized_usd > 0),
                  count(DISTINCT company_id) FILTER (WHERE {ACTIVE} AND realized_usd > 0),
                  sum(realized_usd) FILTER (WHERE {ACTIVE} AND realized_usd > 0)
           FROM investments_pledge p""",
        "SELECT * FROM investments_target WHERE metric IN ('pledged_usd', 'realized_usd')",
    ],
    "report companies": [
        """SELECT c.origin, count(*) FROM companies_company c WHERE EXISTS (
             SELECT 1 FROM companies_interestregistration r WHERE r.company_id = c.id)
           GROUP BY c.origin""",
        """SELECT s.slug, s.name, count(*) FROM companies_company c
           LEFT JOIN zones_sector s ON s.id = c.sector_id WHERE EXISTS (
             SELECT 1 FROM companies_interestregistration r WHERE r.company_id = c.id)
           GROUP BY s.slug, s.name ORDER BY s.name""",
        """SELECT z.slug, z.name, count(DISTINCT r.company_id), count(r.id)
           FROM zones_zone z
           LEFT JOIN companies_interestregistration_zones rz ON rz.zone_id = z.id
           LEFT JOIN companies_interestregistration r ON r.id = rz.interestregistration_id
           GROUP BY z.id ORDER BY 3 DESC, z.name""",
        """SELECT status, count(*), count(DISTINCT company_id)
           FROM companies_interestregistration GROUP BY status""",
        """SELECT count(*), count(DISTINCT company_id) FROM companies_interestregistration""",
        "SELECT * FROM investments_target WHERE metric = 'companies_interested'",
    ],
    # Django's changelist counts the filtered and the whole table (the same here), then
    # fetches one page of 100 with the list_display foreign keys joined.
    "admin zones": [
        "SELECT count(*) FROM zones_zone",
        """SELECT z.*, d.name FROM zones_zone z
           JOIN zones_zonedeveloper d ON d.id = z.developer_id ORDER BY z.name LIMIT 100""",
    ],
    "admin companies": [
        "SELECT count(*) FROM companies_company",
        """SELECT c.*, s.name FROM companies_company c
           LEFT JOIN zones_sector s ON s.id = c.sector_id ORDER BY c.name LIMIT 100""",
    ],
    "admin pledges": [
        "SELECT count(*) FROM investments_pledge",
        """SELECT p.*, c.name, z.name FROM investments_pledge p
           JOIN companies_company c ON c.id = p.company_id
           JOIN zones_zone z ON z.id = p.zone_id
           ORDER BY p.pledged_on DESC, p.id DESC LIMIT 100""",
    ],
    "admin registrations": [
        "SELECT count(*) FROM companies_interestregistration",
        """SELECT r.*, c.name FROM companies_interestregistration r
           JOIN companies_company c ON c.id = r.company_id
           ORDER BY r.created DESC LIMIT 100""",
    ],
    "public home": [
        f"""SELECT sum(amount_usd) FILTER (WHERE {ACTIVE}),
                  sum(amount_usd) FILTER (WHERE {COMMITTED}),
                  sum(realized_usd) FILTER (WHERE {ACTIVE}), count(*) FILTER (WHERE {ACTIVE})
           FROM investments_pledge p""",
        "SELECT status, count(*) FROM zones_zone GROUP BY status",
        "SELECT origin, count(*) FROM companies_company GROUP BY origin",
        "SELECT status, count(*) FROM companies_interestregistration GROUP BY status",
    ],
}

# The floor of a report as of a past day is the same work over today's rows: its "× raw" is
# what rebuilding the past (programme/as_of.py) costs on top of the report itself.
RAW_SQL["report investment as_of"] = RAW_SQL["report investment"]
