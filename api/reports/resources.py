from __future__ import annotations

import csv
import io
from typing import Any

from flask import Response
from flask.views import MethodView
from marshmallow import fields, validate

from api.common import IsoDate, QuerySchema, Text
from medsam_match.auth import current_principal
from medsam_match.services import network as network_service
from medsam_match.services import report_interests
from medsam_match.services import reports as service

from . import blp


class ReportQuerySchema(QuerySchema):
    scope = Text(required=True, metadata={
        "description": '"centre:ID", "municipality:ID" or "network" (the opted-in municipalities)'})
    from_ = IsoDate(data_key="from", metadata={
        "description": "first day (YYYY-MM-DD); default 1 January this year"})
    to = IsoDate(metadata={"description": "last day, included; default 31 December of from's year"})
    group_by = Text(validate=validate.OneOf(service.GROUP_BYS),
                    metadata={"description": "week, month (default), quarter or year"})
    by = Text(validate=validate.OneOf(("activity", "interest")),
              metadata={"description": "activity: also per activity; interest: also per "
                                       "interest of the activities (an activity with two "
                                       "interests counts in both; new volunteers and "
                                       "retention are not given by interest)"})


class NetworkQuerySchema(QuerySchema):
    from_ = IsoDate(data_key="from", metadata={"description": "first day; default 1 January"})
    to = IsoDate(metadata={"description": "last day, included; default 31 December"})


_FIGURE_DESCRIPTION = (
    "Figures (each a number, null when it cannot be worked out, or the string "
    "\"< 5\" when it rests on fewer than 5 volunteers): " + ", ".join(service.FIGURES)
)


class ReportSchema(QuerySchema):
    scope = fields.String()
    name = fields.String()
    from_ = fields.String(data_key="from")
    to = fields.String()
    group_by = fields.String()
    population = fields.Integer(allow_none=True)
    suppression = fields.Dict()
    totals = fields.Dict(metadata={"description": _FIGURE_DESCRIPTION})
    periods = fields.List(fields.Dict(), metadata={
        "description": "one object per week/month/quarter/year: period, from, to and the figures"})
    activities = fields.List(fields.Dict(), metadata={"description": "with by=activity"})
    period_activities = fields.List(fields.Dict(), metadata={"description": "with by=activity"})
    interests = fields.List(fields.Dict(), metadata={
        "description": "with by=interest: per interest its activity_ids and the period's figures"})


class NetworkSchema(QuerySchema):
    from_ = fields.String(data_key="from")
    to = fields.String()
    suppression = fields.Dict()
    municipalities = fields.List(fields.Dict(), metadata={
        "description": "per opted-in municipality: municipality_id, name, country, population, "
                       "own, and the figures. " + _FIGURE_DESCRIPTION})
    network = fields.Dict(metadata={"description": "the opted-in municipalities together"})
    insights = fields.List(fields.Dict(), metadata={
        "description": "differences in words: per municipality its best-filled activity (fill "
                       "rate shown, at least 4 sessions) with its typical week and crew, "
                       "{municipality, activity, fill_rate, sessions_held, pattern, crew, text}"})


def _report(query: dict[str, Any]) -> service.Report:
    kind, scope_id = service.parse_scope(query.get("scope"))
    first, end, group_by = service.check_period(query.get("from_"), query.get("to"),
                                                query.get("group_by"))
    scope = service.resolve_scope(current_principal(), kind, scope_id)
    return service.report(scope, first, end, group_by,
                          by_activity=query.get("by") in ("activity", "interest"))


def _interests(query: dict[str, Any], report: service.Report) -> list[dict[str, Any]]:
    """The rows by interest (by=interest), else none."""
    if query.get("by") != "interest":
        return []
    return [service.public(row) for row in report_interests.by_interest(report)]


@blp.route("/reports")
class Reports(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """Figures for a centre, a municipality or the network over a period
        (default this year by month). Coordinators see their centre and their
        municipality's totals; municipality staff their municipality and its
        centres; the network needs the caller's municipality to have opted
        in. Out of scope: 404. Any figure resting on fewer than 5 volunteers
        is "< 5"; hours_given come from attendance (and approved self-logged
        hours), hours_planned from confirmed seats, shown apart."""
        report = _report(query)
        out = report.as_dict()
        if query.get("by") == "interest":
            out.pop("activities", None)
            out.pop("period_activities", None)
            out["interests"] = _interests(query, report)
        return out


def _table(report: service.Report, interests: list[dict[str, Any]] | None = None
           ) -> tuple[list[str], list[list[Any]]]:
    header = ["period", "from", "to", "activity_id", "activity", "interest", *service.FIGURES]
    rows: list[list[Any]] = [
        ["total", report.first.isoformat(), (report.end - service.timedelta(days=1)).isoformat(),
         None, None, None, *service.ordered(report.totals)],
    ]
    for period in report.periods:
        rows.append([period["period"], period["from"], period["to"], None, None, None,
                     *service.ordered(period)])
    if interests:
        for entry in interests:
            rows.append(["total", None, None, None, None, entry["interest"],
                         *service.ordered(entry)])
        return header, rows
    for activity in report.activities:
        rows.append(["total", None, None, activity["activity_id"], activity["title"], None,
                     *service.ordered(activity)])
    for entry in report.period_activities:
        rows.append([entry["period"], None, None, entry["activity_id"], entry["title"], None,
                     *service.ordered(entry)])
    return header, rows


def _filename(report: service.Report, extension: str) -> str:
    return (f"figures-{report.scope.label.replace(':', '-')}-{report.first.isoformat()}"
            f"-{report.group_by}.{extension}")


@blp.route("/reports.csv")
class ReportsCsv(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.doc(responses={"200": {"description": "text/csv: a total row, one row per period "
                                               "(and per activity with by=activity)",
                                "content": {"text/csv": {"schema": {"type": "string"}}}}})
    def get(self, query: dict[str, Any]) -> Any:
        """The figures of GET /api/v1/reports as CSV (UTF-8, comma separated),
        suppressed the same way ("< 5")."""
        report = _report(query)
        header, rows = _table(report, _interests(query, report))
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([["" if v is None else v for v in row] for row in rows])
        return Response(out.getvalue(), mimetype="text/csv", headers={
            "Content-Disposition": f'attachment; filename="{_filename(report, "csv")}"'})


XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.route("/reports.xlsx")
class ReportsXlsx(MethodView):
    @blp.arguments(ReportQuerySchema, location="query")
    @blp.doc(responses={"200": {"description": "an Excel workbook, one sheet of figures",
                                "content": {XLSX_MIMETYPE: {"schema": {"type": "string",
                                                                       "format": "binary"}}}}})
    def get(self, query: dict[str, Any]) -> Any:
        """The figures of GET /api/v1/reports as an Excel workbook, suppressed
        the same way ("< 5" as text in the cell)."""
        from openpyxl import Workbook

        report = _report(query)
        header, rows = _table(report, _interests(query, report))
        book = Workbook()
        sheet = book.active
        sheet.title = "Figures"
        sheet.append([f"{report.scope.name} ({report.scope.label})",
                      report.first.isoformat(),
                      (report.end - service.timedelta(days=1)).isoformat(), report.group_by])
        sheet.append(header)
        for row in rows:
            sheet.append(row)
        out = io.BytesIO()
        book.save(out)
        return Response(out.getvalue(), mimetype=XLSX_MIMETYPE, headers={
            "Content-Disposition": f'attachment; filename="{_filename(report, "xlsx")}"'})


@blp.route("/network")
class Network(MethodView):
    @blp.arguments(NetworkQuerySchema, location="query")
    @blp.response(200, NetworkSchema)
    def get(self, query: dict[str, Any]) -> Any:
        """The learning network: the same figures per municipality that opted
        in (network_opt_in), side by side, and for them together, over a
        period (default this year). Counts, hours and rates only, "< 5" for
        any figure resting on fewer than 5 volunteers. 403 unless the caller's
        municipality opted in (admins always see it)."""
        first, end, _ = service.check_period(query.get("from_"), query.get("to"), "year")
        return network_service.network(current_principal(), first, end)
