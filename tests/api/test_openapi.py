"""The OpenAPI document is valid and says what the service does."""

from openapi_spec_validator import validate

PUBLIC = {("get", "/api/v1/health")}


def _spec(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json


def test_the_document_passes_the_validator(client):
    validate(_spec(client))


def test_bearer_security_everywhere_except_health(client):
    spec = _spec(client)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "A token from `medsam-match token create`."}
    assert spec["security"] == [{"bearerAuth": []}]
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method == "parameters":
                continue
            if (method, path) in PUBLIC:
                assert operation["security"] == []
            else:
                assert "security" not in operation, (method, path)


def test_errors_are_documented_as_problem_json(client):
    spec = _spec(client)
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == ["application/problem+json"]
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    create_place = spec["paths"]["/api/v1/places"]["post"]["responses"]
    assert create_place["422"] == {"$ref": "#/components/responses/UNPROCESSABLE_ENTITY"}
    assert "default" in create_place


def test_the_tenancy_resources_are_all_there(client):
    paths = _spec(client)["paths"]
    for resource, item_id in (("municipalities", "municipality_id"), ("centres", "centre_id"),
                              ("places", "place_id")):
        assert set(paths[f"/api/v1/{resource}"]) >= {"get", "post"}
        assert set(paths[f"/api/v1/{resource}/{{{item_id}}}"]) >= {"get", "patch", "delete"}
    listing = paths["/api/v1/places"]["get"]
    names = {p["name"] for p in listing["parameters"]}
    assert {"page", "page_size", "municipality_id"} <= names
    page_size = next(p for p in listing["parameters"] if p["name"] == "page_size")
    assert (page_size["schema"]["default"], page_size["schema"]["maximum"]) == (50, 500)


def test_the_docs_page_works_offline(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/api/v1/places/{place_id}" in page
    assert "<script src=\"http" not in page  # nothing fetched from elsewhere
