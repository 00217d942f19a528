"""The flask-smorest Api: OpenAPI document, bearer security, problem+json errors,
and a docs page at /api/v1/docs that works without internet access."""

from __future__ import annotations

import http
from typing import Any

from flask import Flask, Response, render_template_string
from flask_smorest import Api
from flask_smorest.pagination import PaginationMetadataSchema
from flask_smorest.utils import prepare_response
from marshmallow import Schema, fields

from medsam_match.errors import PROBLEM_MIMETYPE

from .links import add_links

SECURITY_SCHEME = "bearerAuth"


class ProblemSchema(Schema):
    """application/problem+json (RFC 9457)."""

    type = fields.String(required=True, metadata={"example": "about:blank"})
    title = fields.String(required=True, metadata={"example": "Unprocessable Content"})
    status = fields.Integer(required=True, metadata={"example": 422})
    detail = fields.String(required=True, metadata={"example": "Invalid fields: capacity."})
    errors = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.String()),
        metadata={
            "description": "Messages per field path, e.g. roles.0.max",
            "example": {"capacity": ["Must be greater than or equal to 0."]},
        },
    )


class MedsamApi(Api):
    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self) -> None:
        # medsam_match.errors.register_error_handlers does this, for all errors.
        pass

    def _register_responses(self) -> None:
        """flask-smorest's standard error responses, as problem+json."""
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "Error (problem+json)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


    def _register_pagination_header(self) -> None:
        """X-Pagination holds JSON: say so, so that clients parse it as JSON."""
        self.spec.components.header(
            "PAGINATION",
            {
                "description": "Pagination metadata (JSON): total, total_pages, page, ...",
                "content": {"application/json": {"schema": PaginationMetadataSchema}},
            },
            lazy=True,
        )


def api_settings(version: str) -> dict[str, Any]:
    return {
        "API_TITLE": "medsam-match",
        "API_VERSION": "1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": (
                    "Plans volunteer work for municipal volunteer centres. "
                    "Send `Authorization: Bearer <token>` (tokens come from "
                    "`medsam-match token create`). Errors are application/problem+json. "
                    "Too many requests answer 429 with a Retry-After header. "
                    "Answers about one row carry its version as ETag; send it as If-Match "
                    "with PATCH or DELETE to change the row only if nobody changed it since "
                    "(412 otherwise). Without If-Match the change is made whatever the "
                    "version (last write wins), as before ETags existed. "
                    f"Service version {version}."
                ),
            },
            "security": [{SECURITY_SCHEME: []}],
            "servers": [{"url": "/"}],
        },
    }


def init_api(app: Flask, version: str) -> MedsamApi:
    for key, value in api_settings(version).items():
        app.config.setdefault(key, value)
    api = MedsamApi(app)
    api.spec.components.security_scheme(
        SECURITY_SCHEME,
        {"type": "http", "scheme": "bearer", "description": "A token from `medsam-match token create`."},
    )
    from . import register_blueprints

    register_blueprints(api)
    add_links(api.spec._paths)  # every path is registered by now (see api/links.py)
    app.add_url_rule("/api/v1/docs", "api_docs", lambda: _docs_page(api))
    return api


_DOCS_TEMPLATE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{{ info.title }} API</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code,pre{background:#f4f4f4;padding:.1rem .3rem;border-radius:3px}
.op{border-top:1px solid #ddd;padding:.6rem 0}.verb{font-weight:bold;display:inline-block;width:4.5rem}
details pre{white-space:pre-wrap;font-size:.85rem}
</style></head><body>
<h1>{{ info.title }} API, version {{ info.version }}</h1>
<p>{{ info.description }}</p>
<p>The full machine-readable reference: <a href="openapi.json">openapi.json</a>.</p>
{% for path, ops in paths %}{% for verb, op in ops %}
<div class="op"><span class="verb">{{ verb|upper }}</span><code>{{ path }}</code>
 {{ op.summary or "" }}
{% if op.parameters %}<br>parameters: {% for p in op.parameters %}<code>{{ p.name or p["$ref"] }}</code> {% endfor %}{% endif %}
<br>responses: {% for code in op.responses %}<code>{{ code }}</code> {% endfor %}
{% if op.requestBody %}<details><summary>request body</summary><pre>{{ op.requestBody|tojson(indent=2) }}</pre></details>{% endif %}
</div>{% endfor %}{% endfor %}
<h2>Schemas</h2>
{% for name, schema in schemas %}<details><summary>{{ name }}</summary><pre>{{ schema|tojson(indent=2) }}</pre></details>{% endfor %}
</body></html>"""


def _docs_page(api: MedsamApi) -> Response:
    spec = api.spec.to_dict()
    paths = [
        (path, [(verb, op) for verb, op in item.items() if isinstance(op, dict) and "responses" in op])
        for path, item in sorted(spec.get("paths", {}).items())
    ]
    schemas = sorted(spec.get("components", {}).get("schemas", {}).items())
    html = render_template_string(_DOCS_TEMPLATE, info=spec["info"], paths=paths, schemas=schemas)
    return Response(html, mimetype="text/html")
