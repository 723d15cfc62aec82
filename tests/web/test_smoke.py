def test_health_needs_no_login(client):
    response = client.get("/health")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert (body["database"], body["queue"]) == ("ok", "ok")


def test_search_page_after_login(client, login):
    login("viewer")
    response = client.get("/")
    assert response.status_code == 200
    assert "Find a referral" in response.get_data(as_text=True)
