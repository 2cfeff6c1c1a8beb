"""The skeleton answers: health, home, and the database backend in use."""


def test_healthz_reports_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "database": "ok"}  # details: tests/public
