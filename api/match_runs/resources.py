from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask.views import MethodView

from api.common import paginate
from medsam_match.auth import current_principal
from medsam_match.errors import Conflict
from medsam_match.services import runs as service

from . import blp
from .schemas import MatchRunCreateSchema, MatchRunQuerySchema, MatchRunSchema


@blp.route("")
class MatchRuns(MethodView):
    @blp.arguments(MatchRunQuerySchema, location="query")
    @blp.response(200, MatchRunSchema(many=True))
    @blp.paginate()
    def get(self, filters: dict[str, Any], pagination_parameters: Any) -> Any:
        """List runs, newest first (?centre_id=, ?status=, ?mode=, ?trigger=)."""
        return paginate(service.runs_query(current_principal(), filters), pagination_parameters)

    @blp.arguments(MatchRunCreateSchema)
    @blp.response(202, MatchRunSchema)
    def post(self, data: dict[str, Any]) -> Any:
        """Ask for a plan. Answers 202 at once; poll the run (Location) until it ends."""
        time_limit = data.get("time_limit_s") or current_app.config.get(
            "MEDSAM_RUN_TIME_LIMIT_S", service.DEFAULT_TIME_LIMIT
        )
        run = service.create_run(
            current_principal(),
            service.RunRequest(
                centre_id=data["centre_id"],
                window_from=data["window_from"],
                window_to=data["window_to"],
                mode=data["mode"],
                dry_run=data["dry_run"],
                time_limit_s=float(time_limit),
            ),
        )
        return run, 202, {"Location": url_for("match-runs.MatchRunById", run_id=run.id)}


@blp.route("/<int:run_id>")
class MatchRunById(MethodView):
    @blp.response(200, MatchRunSchema)
    def get(self, run_id: int) -> Any:
        """One run: status, timestamps, score, bound, KPIs, unfilled slots, changes."""
        return service.get_run(current_principal(), run_id)


@blp.route("/<int:run_id>/scenario")
class MatchRunScenario(MethodView):
    @blp.response(200)
    def get(self, run_id: int) -> Any:
        """The medsam-scenario/1 document the run solved (feed it to `medsam-match solve`)."""
        run = service.get_run(current_principal(), run_id)
        if run.scenario is None:
            raise Conflict(f"the run is {run.status} and has no scenario yet")
        return run.scenario


@blp.route("/<int:run_id>/result")
class MatchRunResult(MethodView):
    @blp.response(200)
    def get(self, run_id: int) -> Any:
        """The run's medsam-result/1 document."""
        run = service.get_run(current_principal(), run_id)
        if run.result is None:
            raise Conflict(f"the run is {run.status} and has no result yet")
        return run.result


@blp.route("/<int:run_id>:publish")
class MatchRunPublish(MethodView):
    @blp.response(200, MatchRunSchema)
    def post(self, run_id: int) -> Any:
        """Turn a succeeded dry run's plan into proposed assignments."""
        return service.publish_dry_run(current_principal(), run_id)


@blp.route("/<int:run_id>:cancel")
class MatchRunCancel(MethodView):
    @blp.response(200, MatchRunSchema)
    def post(self, run_id: int) -> Any:
        """Cancel a queued run (it never starts); 409 naming the state once it has started."""
        return service.cancel_run(current_principal(), run_id)
