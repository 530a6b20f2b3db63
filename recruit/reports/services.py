"""Board reports: drafts that follow the data, and published packs frozen for good.

A draft keeps only its quarter and HR's commentary: its figures and PDF are made afresh from the
current data whenever it is previewed or downloaded. Publishing builds the figures once more,
stores them (JSON) with the PDF bytes and their SHA-256, and from then on the stored bytes are what
everybody downloads, however the data change. Board members reach published reports only.
"""

from __future__ import annotations

import hashlib
from datetime import date

import sqlalchemy as sa
from flask import abort, current_app

from recruit import audit
from recruit.concurrency import check_version
from recruit.errors import RecruitError, ValidationFailed
from recruit.extensions import db
from recruit.models import BoardReport, ReportStatus, Role, User
from recruit.models.base import utcnow
from recruit.reports import context, render
from recruit.statistics import programme
from recruit.statistics.calculations import DEFAULT_THRESHOLD
from recruit.statistics.periods import Quarter


def settings() -> context.Settings:
    config = current_app.config
    return context.Settings(
        organisation=config["ORGANISATION_NAME"], data_dir=config["RECRUIT_DATA_DIR"],
        guarantee_weeks=config["PLACEMENT_GUARANTEE_WEEKS"],
        threshold=config.get("REPRESENTATION_THRESHOLD", DEFAULT_THRESHOLD),
    )


def visible_reports(user: User) -> list[BoardReport]:
    """Reports newest quarter first; board members see published ones only."""
    stmt = sa.select(BoardReport).order_by(BoardReport.quarter.desc())
    if user.role is Role.board:
        stmt = stmt.where(BoardReport.status == ReportStatus.published)
    return list(db.session.scalars(stmt))


def get_report_or_404(report_id: int, user: User) -> BoardReport:
    """Load a report the user may see: to a board member a draft does not exist."""
    report = db.get_or_404(BoardReport, report_id)
    if user.role is Role.board and report.status is not ReportStatus.published:
        abort(404)
    return report


def open_quarters(today: date) -> list[Quarter]:
    """Quarters that have no report yet, from the first with data to the current one."""
    first, _last = programme.data_span(db.session)
    taken = set(db.session.scalars(sa.select(BoardReport.quarter)))
    current = Quarter.containing(today)
    quarter = Quarter.containing(min(first or today, today))
    quarters = []
    while quarter <= current:
        if str(quarter) not in taken:
            quarters.append(quarter)
        quarter = quarter.next()
    return quarters[::-1]


def create_draft(quarter_text: str, actor: User | None) -> BoardReport:
    """Start the board report for a quarter."""
    try:
        quarter = Quarter.parse(quarter_text or "")
    except ValueError:
        raise ValidationFailed("Choose a financial quarter such as 2025-Q1", "quarter") from None
    exists = db.session.scalar(sa.select(BoardReport.id)
                               .where(BoardReport.quarter == str(quarter)))
    if exists:
        raise ValidationFailed(f"There is already a report for {quarter.label}", "quarter")
    report = BoardReport(quarter=str(quarter), status=ReportStatus.draft,
                         created_by=_user(actor))
    db.session.add(report)
    db.session.flush()
    audit.record("create", report, actor=actor, detail=f"board report {quarter}")
    return report


def _refuse_if_published(report: BoardReport) -> None:
    if report.status is ReportStatus.published:
        raise RecruitError(f"The report for {Quarter.parse(report.quarter).label} is published: "
                           "its figures, commentary and PDF are frozen.")


def update_commentary(report: BoardReport, data: dict, actor: User | None) -> None:
    """Save HR's commentary on a draft."""
    check_version(report, data.get("version"), "board report")
    _refuse_if_published(report)
    text = (data.get("commentary") or "").strip()
    report.commentary = text or None
    report.updated_at = utcnow()
    db.session.flush()
    audit.record("update", report, actor=actor, detail="commentary")


def draft_figures(report: BoardReport, today: date) -> dict:
    """The figures of a draft, from the data as they stand now."""
    pack = context.build(db.session, Quarter.parse(report.quarter), settings(), today=today,
                         commentary=report.commentary)
    return context.figures(pack)


def figures_for(report: BoardReport, today: date) -> dict:
    """What the pack shows: the frozen figures once published, current figures for a draft."""
    if report.status is ReportStatus.published:
        return report.figures
    return draft_figures(report, today)


def html_for(report: BoardReport, today: date) -> str:
    return render.render_html(figures_for(report, today), settings().data_dir)


def pdf_for(report: BoardReport, today: date, actor: User | None) -> bytes:
    """The PDF to hand out: the stored bytes of a published pack, a fresh render of a draft."""
    if report.status is ReportStatus.published:
        content = report.pdf
    else:
        content = render.render(draft_figures(report, today), settings().data_dir)
    audit.record("download", report, actor=actor,
                 detail=f"board pack {report.quarter} ({report.status.value.lower()})")
    return content


def publish(report: BoardReport, version, actor: User | None, today: date) -> None:
    """Freeze the report: figures, PDF bytes and their SHA-256; nothing changes afterwards."""
    check_version(report, version, "board report")
    _refuse_if_published(report)
    pack = context.build(db.session, Quarter.parse(report.quarter), settings(), today=today,
                         status=ReportStatus.published.value, dated=today,
                         commentary=report.commentary)
    figures = context.figures(pack)
    content = render.render(figures, settings().data_dir)
    report.figures = figures
    report.pdf = content
    report.pdf_sha256 = hashlib.sha256(content).hexdigest()
    report.status = ReportStatus.published
    report.published_at = utcnow()
    report.published_by = _user(actor)
    db.session.flush()
    audit.record("publish", report, actor=actor,
                 detail=f"board report {report.quarter}, sha256 {report.pdf_sha256}")


def _user(actor):
    """The user behind ``current_user`` (a proxy), for a relationship."""
    return actor._get_current_object() if hasattr(actor, "_get_current_object") else actor


def filename(report: BoardReport) -> str:
    suffix = "" if report.status is ReportStatus.published else "-draft"
    return f"board-pack-{report.quarter}{suffix}.pdf"
