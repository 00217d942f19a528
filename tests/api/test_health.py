from medsam_match.services.health import service_version


def test_health_needs_no_token_and_reports_the_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok", "version": service_version()}


def test_other_api_paths_need_a_token(client):
    response = client.get("/api/v1/municipalities")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_health_says_503_when_the_database_is_unreachable():
    from medsam_match import create_app

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:1/none",
        "MEDSAM_SCHEDULER": "off",
    }, check_schema=False)
    response = app.test_client().get("/api/v1/health")
    assert response.status_code == 503
    assert response.json["status"] == "degraded"
    assert response.json["database"] == "unavailable"
