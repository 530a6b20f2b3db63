"""The floor beside each measurement: the same figures from one hand-written SQL query.

No application code: no ORM, no Python folding, no template. Each query runs on the raw DBAPI
connection and its rows are fetched, nothing more. Portable between PostgreSQL and SQLite (enums
are stored by name, booleans compare with TRUE). Parameters come from ``ids`` in run.py.

A page's floor covers every figure the page shows, so that ``app / floor`` is what the
application adds on top of the database's own work.
"""

from __future__ import annotations

CATCHMENT = "SELECT code FROM local_authorities WHERE in_catchment"
CATCHMENT_WARDS = ("SELECT w.code FROM wards w JOIN local_authorities la "
                   "ON la.id = w.local_authority_id WHERE la.in_catchment")
PERSON_SNAPSHOTS = "SELECT id FROM workforce_snapshots WHERE source_kind = 'person_extract'"

# The representativeness engine's figures for the newest snapshot (one selection), the trend for
# the catchment in every snapshot, the ward map, the deprivation lenses and "where next".
# Staff are counted from workforce_counts (written at import), as the application counts them.
_REPRESENTATION = f"""
SELECT 'trend' AS part, CAST(c.snapshot_id AS VARCHAR(20)) AS k1, c.category AS k2,
       sum(c.count) AS n1, CAST(NULL AS BIGINT) AS n2, CAST(NULL AS BIGINT) AS n3,
       CAST(NULL AS BIGINT) AS n4
  FROM workforce_counts c
 WHERE c.snapshot_id IN ({PERSON_SNAPSHOTS}) AND c.area_type = 'la'
   AND c.characteristic = 'ethnicity' AND c.area_code IN ({CATCHMENT})
 GROUP BY c.snapshot_id, c.category
UNION ALL
SELECT 'ward', c.area_code, c.category, sum(c.count), NULL, NULL, NULL
  FROM workforce_counts c
 WHERE c.snapshot_id = :snapshot AND c.area_type = 'ward' AND c.characteristic = 'ethnicity'
   AND c.la_code IN ({CATCHMENT})
 GROUP BY c.area_code, c.category
UNION ALL
SELECT 'population ' || p.area_type, {{population_area}}, p.edition || '|' || p.category,
       sum(p.count), NULL, NULL, NULL
  FROM population_statistics p
 WHERE p.characteristic = 'ethnicity'
   AND ((p.area_type = 'la' AND p.area_code IN ({CATCHMENT}))
        OR (p.area_type = 'ward' AND p.area_code IN ({CATCHMENT_WARDS})))
 GROUP BY p.area_type, {{population_area}}, p.edition, p.category
UNION ALL
SELECT 'lens ' || s.kind, NULL, NULL, count(*),
       sum(CASE WHEN w.home_lsoa_code IS NOT NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN w.home_la_code IN ({CATCHMENT}) AND w.home_imd_decile IS NOT NULL
                THEN 1 ELSE 0 END),
       sum(CASE WHEN w.home_la_code IN ({CATCHMENT}) AND w.home_imd_decile IN (1, 2)
                THEN 1 ELSE 0 END)
  FROM workforce_records w
  JOIN (SELECT 'all' AS kind UNION ALL SELECT 'new' UNION ALL SELECT 'programme') s
    ON s.kind = 'all'
    OR (s.kind = 'new' AND w.started_on > :year_before AND w.started_on <= :as_of)
    OR (s.kind = 'programme' AND w.entry_route = 'programme')
 WHERE w.snapshot_id = :snapshot
 GROUP BY s.kind
UNION ALL
SELECT 'lens participants', NULL, NULL, count(*),
       sum(CASE WHEN p.lsoa_id IS NOT NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN la.in_catchment AND p.imd_decile IS NOT NULL THEN 1 ELSE 0 END),
       sum(CASE WHEN la.in_catchment AND p.imd_decile IN (1, 2) THEN 1 ELSE 0 END)
  FROM participants p LEFT JOIN local_authorities la ON la.id = p.local_authority_id
 WHERE p.registered_on <= :as_of
UNION ALL
SELECT 'lens population', CASE WHEN l.imd_decile IN (1, 2) THEN 'deprived' ELSE 'other' END,
       p.edition || '|' || p.category, sum(p.count), NULL, NULL, NULL
  FROM population_statistics p JOIN lsoas l ON l.code = p.area_code
  JOIN local_authorities la ON la.id = l.local_authority_id
 WHERE p.area_type = 'lsoa' AND p.characteristic = 'ethnicity' AND la.in_catchment
   AND l.imd_decile IS NOT NULL
 GROUP BY CASE WHEN l.imd_decile IN (1, 2) THEN 'deprived' ELSE 'other' END, p.edition,
       p.category
UNION ALL
SELECT 'ward deprivation', w.code, NULL,
       sum(CASE WHEN l.imd_decile IN (1, 2) THEN 1 ELSE 0 END), count(l.imd_decile), NULL, NULL
  FROM wards w JOIN lsoas l ON l.ward_id = w.id
  JOIN local_authorities la ON la.id = w.local_authority_id
 WHERE la.in_catchment
 GROUP BY w.code
UNION ALL
SELECT 'partners', {{partner_area}}, NULL, count(*), NULL, NULL, NULL
  FROM partner_organisations o JOIN wards w ON w.id = o.ward_id
  JOIN local_authorities la ON la.id = o.local_authority_id
 WHERE o.is_active AND la.in_catchment
 GROUP BY {{partner_area}}
UNION ALL
SELECT 'participants', {{participant_area}}, e.ethnicity, count(*), NULL, NULL, NULL
  FROM participants p JOIN equality_monitoring e ON e.participant_id = p.id
  JOIN wards w ON w.id = p.ward_id JOIN local_authorities la ON la.id = p.local_authority_id
 WHERE p.registered_on <= :as_of AND la.in_catchment
 GROUP BY {{participant_group}}
"""

FLOORS: dict[str, str] = {
    "representation catchment": _REPRESENTATION.format(
        population_area="CASE WHEN p.area_type = 'la' THEN 'catchment' ELSE p.area_code END",
        partner_area="w.code", participant_area="'catchment'", participant_group="e.ethnicity"),
    "representation wards": _REPRESENTATION.format(
        population_area="p.area_code", partner_area="w.code", participant_area="w.code",
        participant_group="w.code, e.ethnicity"),
    # `flask stats representation --json`: one snapshot, the catchment, nothing else.
    "stats representation": f"""
SELECT 'workforce', c.category, sum(c.count)
  FROM workforce_counts c
 WHERE c.snapshot_id = :snapshot AND c.area_type = 'la' AND c.characteristic = 'ethnicity'
   AND c.area_code IN ({CATCHMENT})
 GROUP BY c.category
UNION ALL
SELECT 'population', p.edition || '|' || p.category, sum(p.count)
  FROM population_statistics p
 WHERE p.characteristic = 'ethnicity' AND p.area_type = 'la' AND p.area_code IN ({CATCHMENT})
 GROUP BY p.edition, p.category
""",
    # One page of the filtered list, newest first, with the names shown and the total.
    "participant list": """
SELECT p.id, p.first_name, p.last_name, p.preferred_name, p.status, p.eligible,
       p.registered_on, w.name, la.name, o.name, count(*) OVER () AS total
  FROM participants p
  LEFT JOIN wards w ON w.id = p.ward_id
  LEFT JOIN local_authorities la ON la.id = p.local_authority_id
  LEFT JOIN partner_organisations o ON o.id = p.referring_partner_id
 WHERE p.status = :status AND p.eligible = TRUE AND p.ward_id = :ward
 ORDER BY p.registered_on DESC, p.id DESC
 LIMIT 25
""",
    # The participant's record and every dated status change, with who made it.
    "timeline": """
SELECT p.id, p.first_name, p.last_name, p.status, p.postcode, p.imd_decile, w.name, la.name,
       s.subject_type, s.from_status, s.to_status, s.changed_at, s.reason, u.name
  FROM participants p
  LEFT JOIN wards w ON w.id = p.ward_id
  LEFT JOIN local_authorities la ON la.id = p.local_authority_id
  LEFT JOIN status_changes s ON s.participant_id = p.id
    OR (s.subject_type = 'participant' AND s.subject_id = p.id)
  LEFT JOIN users u ON u.id = s.changed_by_id
 WHERE p.id = :participant
 ORDER BY s.changed_at, s.id
""",
    # The home page's headline figures (before the dashboard became the home page).
    "home-figures": """
SELECT (SELECT count(*) FROM partner_organisations WHERE is_active),
       (SELECT count(*) FROM ambassadors WHERE trained_on IS NOT NULL AND is_active),
       count(*), coalesce(sum(people_reached), 0), coalesce(sum(expressions_of_interest), 0)
  FROM outreach_activities
""",
}


# -- The dashboard and the board pack ------------------------------------------------------------
# Dialect-specific pieces: the days between two timestamps and a financial quarter number.
DIALECT = {
    "postgresql": {"days": "EXTRACT(EPOCH FROM ({b} - {a})) / 86400.0", "date_days": "({b} - {a})",
                   "quarter": "(EXTRACT(YEAR FROM {d}) * 12 + EXTRACT(MONTH FROM {d}) - 4) / 3"},
    "sqlite": {"days": "(julianday({b}) - julianday({a}))",
               "date_days": "(julianday({b}) - julianday({a}))",
               "quarter": "((CAST(strftime('%Y', {d}) AS INTEGER) * 12 "
                          "+ CAST(strftime('%m', {d}) AS INTEGER) - 4) / 3)"},
}
# The funnel's stages, each person's first date in participant_stages (kept with every change).
STAGES = tuple((name, f"stage = '{name}'") for name in (
    "registered", "enrolled", "completed", "placed", "applied", "offered", "started"))
ETHNIC_GROUP = ("CASE WHEN e.ethnicity LIKE 'asian%' THEN 'asian' WHEN e.ethnicity LIKE 'black%' "
                "THEN 'black' WHEN e.ethnicity LIKE 'mixed%' THEN 'mixed' WHEN e.ethnicity LIKE "
                "'white%' THEN 'white' WHEN e.ethnicity LIKE 'other%' THEN 'other' "
                "ELSE 'not stated' END")


def _in_period(stage: str, suffix: str = "") -> str:
    return (f"sum(CASE WHEN {stage} >= :start{suffix} AND {stage} < :end{suffix} "
            "THEN 1 ELSE 0 END)")


def _dashboard(dialect: str, suffix: str = "") -> str:
    """The dashboard's figures for one period (``:start``/``:end`` with ``suffix``)."""
    d = DIALECT[dialect]
    first = ",\n    ".join(f"min(CASE WHEN {cond} THEN reached_at END) AS {name}"
                           for name, cond in STAGES)
    counts = ", ".join(_in_period(name, suffix) for name, _ in STAGES)
    medians = []
    for (before, _c1), (after, _c2) in zip(STAGES, STAGES[1:], strict=False):
        days = d["days"].format(a=before, b=after)
        medians.append(f"""
SELECT 'median{suffix}', '{after}', CAST(avg(days) AS FLOAT), NULL, NULL, NULL, NULL, NULL, NULL,
       NULL
  FROM (SELECT days, row_number() OVER (ORDER BY days) AS n, count(*) OVER () AS c
          FROM (SELECT {days} AS days FROM people
                 WHERE {after} >= :start{suffix} AND {after} < :end{suffix}
                   AND {before} IS NOT NULL) x) y
 WHERE n IN ((c + 1) / 2, (c + 2) / 2)""")
    sustained = ("sum(CASE WHEN sustained26 AND started_on >= :sustained_from{s} AND "
                 "started_on <= :sustained_to{s} THEN 1 ELSE 0 END)").format(s=suffix)
    quarter = d["quarter"]
    return f"""
WITH reached AS (
  SELECT participant_id,
    {first}
    FROM participant_stages GROUP BY participant_id),
people AS (
  SELECT r.*, o.kind AS partner_kind, {ETHNIC_GROUP} AS ethnic_group,
         s.started_on, s.sustained26
    FROM reached r JOIN participants p ON p.id = r.participant_id
    LEFT JOIN partner_organisations o ON o.id = p.referring_partner_id
    LEFT JOIN equality_monitoring e ON e.participant_id = p.id
    LEFT JOIN (SELECT participant_id, min(started_on) AS started_on,
                      max(CASE WHEN sustained_26_weeks THEN 1 ELSE 0 END) = 1 AS sustained26
                 FROM outcomes WHERE kind = 'entry_level_role_at_anchor'
                GROUP BY participant_id) s ON s.participant_id = p.id)
SELECT 'funnel{suffix}', 'all', {counts}, {sustained} FROM people
UNION ALL
SELECT 'by kind{suffix}', partner_kind, {counts}, {sustained} FROM people GROUP BY partner_kind
UNION ALL
SELECT 'by group{suffix}', ethnic_group, {counts}, {sustained} FROM people GROUP BY ethnic_group
UNION ALL {" UNION ALL ".join(medians)}
UNION ALL
SELECT 'outreach{suffix}', NULL, count(*), sum(people_reached), sum(expressions_of_interest),
       NULL, NULL, NULL, NULL, NULL
  FROM outreach_activities WHERE held_on BETWEEN :start_day{suffix} AND :end_day{suffix}
UNION ALL
SELECT 'guarantee{suffix}', NULL, count(*),
       sum(CASE WHEN EXISTS (SELECT 1 FROM placements pl WHERE pl.enrolment_id = en.id
                               AND {d["date_days"].format(a="en.completed_on", b="pl.offered_on")}
                                   <= :guarantee_days) THEN 1 ELSE 0 END),
       NULL, NULL, NULL, NULL, NULL, NULL
  FROM enrolments en
 WHERE en.status = 'completed' AND en.completed_on BETWEEN :start_day{suffix} AND :end_day{suffix}
UNION ALL
SELECT 'feedback{suffix}', NULL, count(*),
       sum(CASE WHEN a.feedback IS NOT NULL AND length(trim(a.feedback)) > 0 THEN 1 ELSE 0 END),
       NULL, NULL, NULL, NULL, NULL, NULL
  FROM applications a WHERE a.id IN (
       SELECT subject_id FROM status_changes WHERE subject_type = 'application'
          AND to_status = 'unsuccessful' AND changed_at >= :start{suffix}
          AND changed_at < :end{suffix})
UNION ALL
SELECT 'target employed', CAST(q AS VARCHAR(10)), sum(count(*)) OVER (ORDER BY q), NULL, NULL,
       NULL, NULL, NULL, NULL, NULL
  FROM (SELECT {quarter.format(d="min(o.started_on)")} AS q FROM outcomes o
         WHERE o.kind = 'entry_level_role_at_anchor' AND EXISTS (
               SELECT 1 FROM enrolments x WHERE x.participant_id = o.participant_id
                  AND x.eligible_at_enrolment) GROUP BY o.participant_id) t GROUP BY q
UNION ALL
SELECT 'target places', CAST({quarter.format(d="enrolled_on")} AS VARCHAR(10)),
       sum(count(*)) OVER (ORDER BY {quarter.format(d="enrolled_on")}), NULL, NULL, NULL, NULL,
       NULL, NULL, NULL
  FROM enrolments GROUP BY {quarter.format(d="enrolled_on")}
UNION ALL
SELECT 'target ambassadors', CAST({quarter.format(d="trained_on")} AS VARCHAR(10)),
       sum(count(*)) OVER (ORDER BY {quarter.format(d="trained_on")}), NULL, NULL, NULL, NULL,
       NULL, NULL, NULL
  FROM ambassadors WHERE trained_on IS NOT NULL GROUP BY {quarter.format(d="trained_on")}
UNION ALL
SELECT 'target posts', CAST({quarter.format(d="identified_on")} AS VARCHAR(10)),
       sum(sum(posts)) OVER (ORDER BY {quarter.format(d="identified_on")}), NULL, NULL, NULL,
       NULL, NULL, NULL, NULL
  FROM vacancies WHERE status <> 'withdrawn' GROUP BY {quarter.format(d="identified_on")}
UNION ALL
SELECT 'milestones', CAST(target_id AS VARCHAR(10)), value, NULL, NULL, NULL, NULL, NULL, NULL,
       NULL FROM target_milestones"""


def _representation_headline() -> str:
    """The dashboard's representativeness headline: catchment rows and where next by ward."""
    wards = FLOORS["representation wards"]
    parts = wards.split("UNION ALL")
    keep = [p for p in parts if any(key in p for key in (
        "'ward'", "'population '", "'partners'", "'participants'"))]
    catchment = """
SELECT 'catchment', c.category, NULL, sum(c.count), NULL, NULL, NULL
  FROM workforce_counts c
 WHERE c.snapshot_id = :snapshot AND c.area_type = 'la' AND c.characteristic = 'ethnicity'
   AND c.area_code IN ({catchment})
 GROUP BY c.category""".format(catchment=CATCHMENT)
    return "\nUNION ALL".join([catchment, *keep])


def _wres() -> str:
    return """
SELECT 'wres1', pay_band, staff_group, ethnic_category, count(*) FROM workforce_records
 WHERE snapshot_id = :snapshot GROUP BY pay_band, staff_group, ethnic_category
UNION ALL
SELECT 'wres2', route, ethnic_category, disability,
       sum(CASE WHEN shortlisted THEN 1 ELSE 0 END) + 1000000 * sum(CASE WHEN appointed
                                                                  THEN 1 ELSE 0 END)
  FROM recruitment_outcomes
 WHERE decided_on > :year_before AND decided_on <= :as_of AND NOT declined_offer
 GROUP BY route, ethnic_category, disability"""


def floor_sql(name: str, dialect: str) -> str | None:
    """The floor query for ``name`` on ``dialect``, or None when none is written."""
    if name == "dashboard":
        return (_dashboard(dialect) + " UNION ALL SELECT part, k1, n1, n2, n3, n4, NULL, NULL, "
                "NULL, NULL FROM (" + _representation_headline().replace(
                    "SELECT 'catchment'", "SELECT 'catchment' AS part", 1).replace(
                    ", NULL, sum(c.count), NULL, NULL, NULL",
                    " AS k1, NULL AS k2, sum(c.count) AS n1, CAST(NULL AS BIGINT) AS n2, "
                    "CAST(NULL AS BIGINT) AS n3, CAST(NULL AS BIGINT) AS n4", 1) + ") headline")
    if name == "board pack":
        return [_dashboard(dialect), _dashboard(dialect, "_year"), FLOORS["representation wards"],
                _wres()]
    return FLOORS.get(name)
