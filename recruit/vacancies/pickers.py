"""Choosing a vacancy on an application: a select while few are open, else a search."""

from __future__ import annotations

import sqlalchemy as sa

from recruit.models import Vacancy, VacancyStatus
from recruit.pickers import Picker, like, pick, reference


def label(vacancy: Vacancy) -> str:
    """Title, band and site; a vacancy that is not open says so, so a refusal is clear."""
    site = f", {vacancy.site}" if vacancy.site else ""
    status = "" if vacancy.status is VacancyStatus.open else f" – {vacancy.status.value.lower()}"
    return f"{vacancy.title}, {vacancy.band.value}{site}{status}"


def search(stmt: sa.Select, text: str) -> sa.Select:
    """Vacancies whose title or site contains ``text``, or whose ID it is."""
    pattern = like(text)
    conditions = [sa.func.lower(Vacancy.title).like(pattern, escape="\\"),
                  sa.func.lower(Vacancy.site).like(pattern, escape="\\")]
    number = reference(text)
    if number is not None:
        conditions.append(Vacancy.id == number)
    return stmt.where(sa.or_(*conditions))


def open_vacancy_picker(field, asked_for: int | None, blank: str = "Choose a vacancy") -> Picker:
    """Open vacancies, closing soonest first, and ``asked_for`` even when it is not open."""
    offered = (sa.select(Vacancy)
               .where(sa.or_(Vacancy.status == VacancyStatus.open, Vacancy.id == asked_for))
               .order_by(Vacancy.closes_on, Vacancy.title, Vacancy.id))
    return pick(field, noun="vacancy", offered=offered, label=label, search=search, blank=blank)
