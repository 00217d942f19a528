from tests.conftest import auth
URL="/api/v1/volunteers"
def test_probe(client, world):
    h = auth(world.admin_token)
    out = []
    out.append(client.post(URL, json=["x"], headers=h).status_code)
    out.append(client.get(f"{URL}/{10**20}", headers=h).status_code)
    out.append(client.get(f"{URL}/{2**40}", headers=h).status_code)
    out.append(client.get(f"{URL}?centre_id={10**20}", headers=h).status_code)
    out.append(client.post(URL, json={"centre_id": 10**20, "name": "x"}, headers=h).status_code)
    out.append(client.post(URL, json={"centre_id": world.no.centre_id, "name": "x", "preferred_activity_ids": [10**20]}, headers=h).status_code)
    out.append(client.post(URL, json={"centre_id": world.no.centre_id, "name": "x\x00y", "skills": ["a\x00"]}, headers=h).status_code)
    out.append(client.get(f"{URL}?q=a%00b&skill=a%00", headers=h).status_code)
    out.append(client.get(f"{URL}?skill=x", headers=h).status_code)
    out.append(client.post(URL, json={"centre_id": world.no.centre_id, "name": "x", "unavailable": [{"start": "0001-01-01T00:00:00+14:00", "end": "9999-12-31T23:59:59-14:00"}]}, headers=h).status_code)
    out.append(client.post(URL, json={"centre_id": world.no.centre_id, "name": "x", "max_travel_km": 1e308, "lat": 0.0, "lon": 0.0}, headers=h).status_code)
    print(out)
    assert 0
