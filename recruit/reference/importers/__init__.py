"""Importers for reference and workforce files: one module per kind of file, a shared core.

Parsing and validation are pure (no Flask, no database); each module's ``write`` takes a
SQLAlchemy session; :mod:`recruit.reference.services` runs them inside the application.
"""

from __future__ import annotations

from recruit.models.statistics import ImportKind
from recruit.reference.importers import (
    census,
    diversity_return,
    imd,
    lsoa_wards,
    postcodes,
    recruitment,
    workforce,
)
from recruit.reference.importers.core import ImportRefused, RowError, SourceFile
from recruit.reference.importers.pipeline import (
    Importer,
    ImportOptions,
    ImportSummary,
    Progress,
    run_import,
)

IMPORTERS: dict[str, Importer] = {
    importer.name: importer
    for importer in (
        Importer(ImportKind.census, "census", census.parse, census.write,
                 options=("edition", "table"),
                 columns="A nomis bulk CSV of TS021, TS008, TS007A, TS030 or TS038 (date, "
                         "geography, geography code, then one column per category), or the "
                         "tidy layout (area_code, area_name, …, category, value)."),
        Importer(ImportKind.imd, "imd", imd.parse, imd.write,
                 columns="IoD2019 File 1 or File 7, or IoD2025: LSOA code, Index of Multiple "
                         "Deprivation (IMD) Rank and Decile."),
        Importer(ImportKind.lsoa_wards, "lsoa-wards", lsoa_wards.parse, lsoa_wards.write,
                 columns="An ONS LSOA to ward to local authority best-fit lookup: lsoa21cd, "
                         "lsoa21nm, wd22cd, wd22nm, lad22cd, lad22nm."),
        Importer(ImportKind.postcodes, "postcodes", postcodes.parse, postcodes.write,
                 columns="An ONS Postcode Directory or NSPL extract: pcds, lsoa21 (or "
                         "lsoa21cd), osward, oslaua, doterm; or postcode, ward_code, lsoa_code, "
                         "la_code."),
        Importer(ImportKind.workforce, "workforce", workforce.parse, workforce.write,
                 check=workforce.check, options=("as_of",),
                 columns="staff_ref, site, staff_group, pay_band, ethnic_category, sex, "
                         "age_band, disability, religion, home_postcode, start_date, "
                         "entry_route (or the ESR export names). Home postcodes are turned "
                         "into areas and not kept."),
        Importer(ImportKind.diversity_return, "diversity-return", diversity_return.parse,
                 diversity_return.write, check=diversity_return.check,
                 columns="The Open Innovations diversity data standard: published, "
                         "organisation, employees, then counts such as ethnicity_asian, "
                         "gender_female, disability_yes."),
        Importer(ImportKind.recruitment, "recruitment", recruitment.parse, recruitment.write,
                 options=(),
                 columns="applicant_ref, vacancy_ref, date, ethnic_category, disability, "
                         "shortlisted, appointed, declined_offer, route."),
    )
}

__all__ = ["IMPORTERS", "ImportOptions", "ImportRefused", "ImportSummary", "Importer",
           "Progress", "RowError", "SourceFile", "run_import"]
