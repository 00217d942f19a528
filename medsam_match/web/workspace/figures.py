"""/figures: the municipality's dashboard (trend over the year, centres side
by side, activity mix), /figures/annual: a printable annual report in the
municipality's language, and /network: the learning network side by side.

The same services as GET /api/v1/reports and /api/v1/network, with the
signed-in user's principal: the same scope (404 outside it) and the same
small-number suppression ("< 5"), applied before the page sees a figure.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from babel.dates import get_day_names
from flask import Response, abort, g, request
from flask_babel import force_locale, format_decimal, format_percent, lazy_gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from ...domain_errors import DomainError
from ...extensions import db
from ...models import Centre, Municipality
from ...services import network as network_service
from ...services import report_interests, reports
from .blueprint import add_nav, bp, render_page

add_nav("staff.figures", lazy_gettext("Figures"))
add_nav("staff.network", lazy_gettext("Network"))


def _year() -> int:
    text = request.args.get("year", "")
    if text.isdigit() and 2000 <= int(text) <= 2200:
        return int(text)
    return date.today().year


def _default_scope(p: Any) -> str:
    if p.role == "coordinator" and p.centre_id:
        return f"centre:{p.centre_id}"
    if p.municipality_id:
        return f"municipality:{p.municipality_id}"
    first = db.session.scalar(select(Municipality.id).order_by(Municipality.id).limit(1))
    return f"municipality:{first}" if first else "network"


def _choices(p: Any) -> list[tuple[str, str]]:
    """The scopes the user may pick: its centre(s) and its municipality."""
    query = select(Centre.id, Centre.name, Municipality.id, Municipality.name).join(
        Municipality, Centre.municipality_id == Municipality.id).order_by(
        Municipality.name, Centre.name)
    if p.role == "coordinator":
        query = query.where(Centre.id == p.centre_id)
    elif not p.is_admin:
        query = query.where(Municipality.id == p.municipality_id)
    out: list[tuple[str, str]] = []
    seen: set[int] = set()
    for centre_id, centre_name, municipality_id, municipality_name in db.session.execute(query):
        if municipality_id not in seen:
            seen.add(municipality_id)
            out.append((f"municipality:{municipality_id}", municipality_name))
        out.append((f"centre:{centre_id}", f"– {centre_name}"))
    if network_service.may_see_network(p):
        out.append(("network", str(lazy_gettext("The learning network"))))
    return out


def _chart_value(value: Any) -> Any:
    return None if value == reports.SUPPRESSED else value


def _load(p: Any, scope_text: str, year: int, group_by: str) -> reports.Report:
    try:
        kind, scope_id = reports.parse_scope(scope_text)
        scope = reports.resolve_scope(p, kind, scope_id)
        first, end, group = reports.check_period(date(year, 1, 1), date(year, 12, 31), group_by)
    except DomainError:
        abort(404)
    return reports.report(scope, first, end, group, by_activity=True)


def _centres(p: Any, report: reports.Report) -> list[dict[str, Any]]:
    """Each centre of a municipality's report, side by side (suppressed)."""
    if report.scope.kind != "municipality":
        return []
    rows = []
    for centre in db.session.scalars(
        select(Centre).where(Centre.municipality_id == report.scope.id).order_by(Centre.name)
    ):
        try:
            scope = reports.resolve_scope(p, "centre", centre.id)
        except DomainError:
            continue  # a coordinator sees its own centre only
        totals = reports.report(scope, report.first, report.end, "year").totals
        rows.append({"name": centre.name, **totals})
    return rows


@bp.get("/figures")
@login_required
def figures() -> Any:
    p = current_user.principal
    scope_text = request.args.get("scope") or _default_scope(p)
    year = _year()
    report = _load(p, scope_text, year, "month")
    centres = _centres(p, report)
    chart = {
        "labels": [row["period"] for row in report.periods],
        "series": {
            "hours_given": [_chart_value(r["hours_given"]) for r in report.periods],
            "hours_planned": [_chart_value(r["hours_planned"]) for r in report.periods],
            "sessions_held": [r["sessions_held"] for r in report.periods],
        },
        "names": {"hours_given": str(lazy_gettext("Hours given")),
                  "hours_planned": str(lazy_gettext("Hours planned")),
                  "sessions_held": str(lazy_gettext("Sessions held"))},
        "centres": {"labels": [c["name"] for c in centres],
                    "hours_given": [_chart_value(c["hours_given"]) for c in centres]},
        "activities": {"labels": [a["title"] for a in report.activities],
                       "sessions_held": [a["sessions_held"] for a in report.activities]},
    }
    return render_page("staff/figures.html", report=report, centres=centres, year=year,
                       scope_text=scope_text, choices=_choices(p), figures=FIGURE_NAMES,
                       chart_data=json.dumps(chart).replace("</", "<\\/"),
                       shown=shown, interests=report_interests.by_interest(report))


@bp.get("/figures/annual")
@login_required
def figures_annual() -> Any:
    p = current_user.principal
    scope_text = request.args.get("scope") or _default_scope(p)
    year = _year()
    report = _load(p, scope_text, year, "quarter")
    centres = _centres(p, report)
    # In the municipality's language: the report goes to its board and council.
    g.language = report.scope.locale
    with force_locale(report.scope.locale):
        return render_page("staff/figures_annual.html", report=report, centres=centres,
                           year=year, figures=FIGURE_NAMES, shown=shown, pdf_css=None,
                           pdf_link=pdf_available())


def pdf_available() -> bool:
    """WeasyPrint is an optional extra (pip install '.[pdf]') and needs the
    Pango library of the system; without either there is no PDF link."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):
        return False
    return True


@bp.get("/figures/annual.pdf")
@login_required
def figures_annual_pdf() -> Any:
    """The annual report as a PDF (WeasyPrint), the same page as /figures/annual."""
    if not pdf_available():
        abort(404)
    from weasyprint import HTML

    p = current_user.principal
    scope_text = request.args.get("scope") or _default_scope(p)
    year = _year()
    report = _load(p, scope_text, year, "quarter")
    centres = _centres(p, report)
    css = (Path(__file__).parent.parent / "static" / "pdf.css").read_text(encoding="utf-8")
    g.language = report.scope.locale
    with force_locale(report.scope.locale):
        html, _ = render_page("staff/figures_annual.html", report=report, centres=centres,
                              year=year, figures=FIGURE_NAMES, shown=shown, pdf_css=css,
                              pdf_link=False)
    # No fetching: the stylesheet is inlined and every other URL is refused.
    pdf = HTML(string=html, url_fetcher=_no_fetch).write_pdf()
    name = f"annual-report-{report.scope.label.replace(':', '-')}-{year}.pdf"
    return Response(pdf, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    raise ValueError(f"not fetched: {url}")


@bp.get("/network")
@login_required
def network() -> Any:
    p = current_user.principal
    year = _year()
    if not network_service.may_see_network(p):
        return render_page("staff/network.html", closed=True, year=year, data=None,
                           figures=FIGURE_NAMES, shown=shown)
    data = network_service.network(p, date(year, 1, 1), date(year + 1, 1, 1))
    return render_page("staff/network.html", closed=False, year=year, data=data,
                       figures=FIGURE_NAMES, shown=shown, weekday_name=_weekday_name,
                       crew_text=lambda crew: ", ".join(f"{c['min']} {c['role']}" for c in crew))


def _weekday_name(weekday: int) -> str:
    """Monday .. Sunday (0..6) in the page's language."""
    return str(get_day_names("wide", locale=g.language)[weekday])


def shown(value: Any, kind: str = "") -> str:
    """A figure as the page shows it, in the reader's language: "< 5", "–"
    for none, rates in %, decimals to one place with the language's decimal
    comma and digit grouping ("1 464,5" in nb, "1,464.5" in en)."""
    if value == reports.SUPPRESSED:
        return reports.SUPPRESSED
    if value is None:
        return "–"
    if kind == "rate":  # the language's own pattern: "78\xa0%" in nb, nn and da, "78%" in en
        return str(format_percent(value))
    return str(format_decimal(value, format="#,##0.#"))


# (key, label, kind): the figures in the order the pages list them.
FIGURE_NAMES = [
    ("sessions_held", lazy_gettext("Sessions held"), ""),
    ("sessions_cancelled", lazy_gettext("Sessions cancelled"), ""),
    ("slots_needed", lazy_gettext("Places needed"), ""),
    ("slots_filled", lazy_gettext("Places filled"), ""),
    ("fill_rate", lazy_gettext("Fill rate"), "rate"),
    ("hours_given", lazy_gettext("Hours given"), ""),
    ("hours_planned", lazy_gettext("Hours planned"), ""),
    ("volunteers_engaged", lazy_gettext("Volunteers engaged"), ""),
    ("new_volunteers", lazy_gettext("New volunteers"), ""),
    ("retention", lazy_gettext("Retention"), "rate"),
    ("no_show_rate", lazy_gettext("No-show rate"), "rate"),
    ("volunteers_per_1000", lazy_gettext("Volunteers per 1,000 inhabitants"), ""),
    ("participants_reached", lazy_gettext("Participants reached"), ""),
]
