"""Issue #31: a case manager's saved lists. The API (create, read, reorder, rename, share,
delete), who may read and change a list (private: 404 to others; shared: read-only), the
identifier check on list names, which services a list may hold, the pages (save from the
search results and the service page, reorder, remove, delete), the printed sheet of a list
read back from the PDF, and the discreet share holding no tell-tale word nor a withheld
address."""

from __future__ import annotations

import io
import re
from html import unescape

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from directory.catalog import share
from directory.models import SavedList, SavedListItem, Service
from tests.conftest import wait_for_job
from tests.factories import LocationFactory, OrganizationFactory, PhoneFactory, ServiceFactory


def pdf_text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def three(app):
    """Three active services: (Alpha Pantry, Bravo Clinic, Charlie Legal) with their ids."""
    made = [
        ServiceFactory(name="Alpha Pantry", category="food"),
        ServiceFactory(name="Bravo Clinic", category="health"),
        ServiceFactory(name="Charlie Legal", category="legal"),
    ]
    db.session.commit()
    return [s.id for s in made]


@pytest.fixture
def hidden_place(app):
    """A shelter at a confidential location: its street and postal code are withheld."""
    org = OrganizationFactory(
        name="Harbor Anti-Trafficking Shelter", website="https://harbor-shelter.example.org"
    )
    loc = LocationFactory(
        organization=org, address_1="77 Withheld Lane", postal_code="60699", confidential=True
    )
    service = ServiceFactory(
        organization=org, location=loc, name="Harbor Safe House", category="shelter.adults_other"
    )
    PhoneFactory(service=service, number="+13125550111")
    db.session.commit()
    return service.id


# --- the API -----------------------------------------------------------------------------


def test_create_keeps_the_order_and_drops_repeats_keeping_the_first(api, three):
    a, b, c = three
    call = api("case_manager")
    made = call("POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": [b, a, b, c, a]})
    assert made.status_code == 201, made.get_json()
    body = made.get_json()
    assert body["name"] == "Tuesday clinic"
    assert body["service_ids"] == [b, a, c]
    assert body["shared"] is False
    assert body["mine"] is True
    assert body["owner"] == "case_manager"  # the e-mail's name part, nothing more
    read = call("GET", f"/api/v1/lists/{body['id']}").get_json()
    assert read["service_ids"] == [b, a, c]
    listed = call("GET", "/api/v1/lists").get_json()
    assert [row["id"] for row in listed] == [body["id"]]
    positions = db.session.execute(
        select(SavedListItem.service_id, SavedListItem.position).order_by(SavedListItem.position)
    ).all()
    assert [tuple(p) for p in positions] == [(b, 0), (a, 1), (c, 2)]


def test_patch_reorders_renames_and_shares(api, three):
    a, b, c = three
    call = api("case_manager")
    list_id = call(
        "POST", "/api/v1/lists", {"name": "Shelters north", "service_ids": [a, b, c]}
    ).get_json()["id"]
    moved = call("PATCH", f"/api/v1/lists/{list_id}", {"service_ids": [c, a, b]})
    assert moved.status_code == 200, moved.get_json()
    assert moved.get_json()["service_ids"] == [c, a, b]
    renamed = call(
        "PATCH", f"/api/v1/lists/{list_id}", {"name": "  Legal   first  ", "shared": True}
    )
    assert renamed.get_json()["name"] == "Legal first"  # spaces tidied
    assert renamed.get_json()["shared"] is True
    assert renamed.get_json()["service_ids"] == [c, a, b]  # untouched when not sent
    shorter = call("PATCH", f"/api/v1/lists/{list_id}", {"service_ids": [b]})
    assert shorter.get_json()["service_ids"] == [b]


def test_delete_and_the_audit_log(api, users, three):
    a, b, _c = three
    call = api("case_manager")
    list_id = call(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": [a]}
    ).get_json()["id"]
    call("PATCH", f"/api/v1/lists/{list_id}", {"name": "Wednesday clinic", "service_ids": [a, b]})
    assert call("DELETE", f"/api/v1/lists/{list_id}").status_code == 204
    assert call("GET", f"/api/v1/lists/{list_id}").status_code == 404
    assert db.session.scalar(select(SavedList)) is None
    assert db.session.scalar(select(SavedListItem)) is None
    events = db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "saved_lists").order_by(AuditEvent.id)
    ).all()
    assert [e.action for e in events] == ["create", "update", "delete"]
    assert all(e.user_id == users["case_manager"].id for e in events)
    assert events[1].changes["name"] == ["Tuesday clinic", "Wednesday clinic"]
    added = db.session.scalars(
        select(AuditEvent).where(
            AuditEvent.object_type == "saved_list_items", AuditEvent.action == "create"
        )
    ).all()
    assert {e.parent for e in added} == {f"saved_lists:{list_id}"}
    assert len(added) == 2  # a, then b


def test_someone_elses_private_list_does_not_exist_for_them(api, three):
    owner, other = api("case_manager"), api("case_manager_b")
    list_id = owner(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": three}
    ).get_json()["id"]
    for method, body in (("GET", None), ("PATCH", {"name": "Mine now"}), ("DELETE", None)):
        answer = other(method, f"/api/v1/lists/{list_id}", body)
        assert answer.status_code == 404, (method, answer.get_json())
    assert other("GET", "/api/v1/lists").get_json() == []
    # even a coordinator does not read a private list
    assert api("coordinator")("GET", f"/api/v1/lists/{list_id}").status_code == 404
    assert owner("GET", f"/api/v1/lists/{list_id}").get_json()["name"] == "Tuesday clinic"


def test_a_shared_list_is_read_only_to_the_rest_of_the_facility(api, three):
    owner, other = api("case_manager"), api("case_manager_b")
    list_id = owner(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": three, "shared": True}
    ).get_json()["id"]
    read = other("GET", f"/api/v1/lists/{list_id}")
    assert read.status_code == 200
    assert read.get_json()["service_ids"] == three
    assert read.get_json()["mine"] is False
    assert read.get_json()["owner"] == "case_manager"
    assert [row["id"] for row in other("GET", "/api/v1/lists").get_json()] == [list_id]
    assert api("viewer")("GET", f"/api/v1/lists/{list_id}").status_code == 200
    assert other("PATCH", f"/api/v1/lists/{list_id}", {"name": "Taken"}).status_code == 403
    assert other("DELETE", f"/api/v1/lists/{list_id}").status_code == 403
    assert owner("GET", f"/api/v1/lists/{list_id}").get_json()["name"] == "Tuesday clinic"
    owner("PATCH", f"/api/v1/lists/{list_id}", {"shared": False})
    assert other("GET", f"/api/v1/lists/{list_id}").status_code == 404


@pytest.mark.parametrize(
    "name", ["Maria Lopez follow-up", "DOB 03/04/1990", "maria_lopez", "Jose.Garcia_followup"]
)
def test_a_name_that_identifies_a_client_is_refused(api, three, name):
    call = api("case_manager")
    refused = call("POST", "/api/v1/lists", {"name": name, "service_ids": three})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["name"]
    assert db.session.scalar(select(SavedList)) is None
    list_id = call("POST", "/api/v1/lists", {"name": "Tuesday clinic"}).get_json()["id"]
    renamed = call("PATCH", f"/api/v1/lists/{list_id}", {"name": name})
    assert renamed.status_code == 422
    assert "name" in renamed.get_json()["errors"]
    assert call("GET", f"/api/v1/lists/{list_id}").get_json()["name"] == "Tuesday clinic"


@pytest.mark.parametrize(
    "name", ["Tuesday clinic", "Shelters north", "food_pantries", "legal.aid_north"]
)
def test_plain_names_are_accepted(api, name):
    made = api("case_manager")("POST", "/api/v1/lists", {"name": name})
    assert made.status_code == 201
    assert made.get_json()["name"] == name


def test_only_existing_active_services(api, three):
    a, b, _c = three
    gone = ServiceFactory(name="Closed Pantry", status="inactive")
    orphan = ServiceFactory(name="Pantry of a closed org")
    orphan.organization.status = "inactive"
    db.session.commit()
    call = api("case_manager")
    for ids in ([a, 999_999], [gone.id], [b, orphan.id]):
        refused = call("POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": ids})
        assert refused.status_code == 422, ids
        assert list(refused.get_json()["errors"]) == ["service_ids"]
    list_id = call(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": [a]}
    ).get_json()["id"]
    patched = call("PATCH", f"/api/v1/lists/{list_id}", {"service_ids": [a, gone.id]})
    assert patched.status_code == 422
    assert call("GET", f"/api/v1/lists/{list_id}").get_json()["service_ids"] == [a]
    # a service made inactive after it was saved is no longer shown (nor printed)
    db.session.get(Service, a).status = "inactive"
    db.session.commit()
    assert call("GET", f"/api/v1/lists/{list_id}").get_json()["service_ids"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 5}, "name"),
        ({"name": ["Tuesday"]}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 121}, "name"),
        ({}, "name"),
        ({"name": "Tuesday clinic", "service_ids": "1,2"}, "service_ids"),
        ({"name": "Tuesday clinic", "service_ids": ["one"]}, "service_ids"),
        ({"name": "Tuesday clinic", "service_ids": [0]}, "service_ids"),
        ({"name": "Tuesday clinic", "service_ids": [2**40]}, "service_ids"),
        ({"name": "Tuesday clinic", "service_ids": list(range(1, 202))}, "service_ids"),
        ({"name": "Tuesday clinic", "shared": "maybe"}, "shared"),
    ],
)
def test_wrong_bodies_name_the_field(api, body, field):
    answer = api("case_manager")("POST", "/api/v1/lists", body)
    assert answer.status_code == 422, answer.get_json()
    assert field in answer.get_json()["errors"]


def test_a_body_that_is_not_json_is_a_4xx(client, token):
    headers = token("case_manager")
    for data, kind in (
        ("name=x", "application/x-www-form-urlencoded"),
        ("{not json", "application/json"),
        ("[1, 2]", "application/json"),
    ):
        answer = client.post("/api/v1/lists", data=data, content_type=kind, headers=headers)
        assert 400 <= answer.status_code < 500, (data, answer.status_code)


def test_two_hundred_services_fit_after_repeats_are_dropped(api):
    made = [ServiceFactory(location=None) for _ in range(3)]
    db.session.commit()
    ids = [s.id for s in made] * 80  # 240 ids, 3 services
    answer = api("case_manager")(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": ids}
    )
    assert answer.status_code == 201
    assert answer.get_json()["service_ids"] == [s.id for s in made]


# --- pages -------------------------------------------------------------------------------


def test_save_from_search_then_reorder_remove_rename_and_delete(client, login, three):
    a, b, c = three
    login("case_manager")
    search = client.get("/?q=Pantry").get_data(as_text=True)
    assert 'action="/lists/save"' in search
    assert "Save to list" in search
    saved = client.post(
        "/lists/save",
        data={"service_id": a, "new_name": "Tuesday clinic", "next": "/?q=Pantry#svc-1-0"},
    )
    assert saved.status_code == 302
    assert saved.headers["Location"] == "/?q=Pantry#svc-1-0"
    list_id = db.session.scalar(select(SavedList.id))
    # the search page now offers the list by name
    assert "Tuesday clinic</option>" in client.get("/?q=Pantry").get_data(as_text=True)
    client.post("/lists/save", data={"service_id": b, "list_id": list_id, "next": "/"})
    client.post("/lists/save", data={"service_id": c, "list_id": list_id, "next": "/"})
    again = client.post(
        "/lists/save",
        data={"service_id": b, "list_id": list_id, "next": "/"},
        follow_redirects=True,
    )
    assert "Already on “Tuesday clinic”" in unescape(again.get_data(as_text=True))

    def order():
        page = client.get(f"/lists/{list_id}").get_data(as_text=True)
        names = re.findall(r"(Alpha Pantry|Bravo Clinic|Charlie Legal)</a></h3>", page)
        return names

    assert order() == ["Alpha Pantry", "Bravo Clinic", "Charlie Legal"]
    moved = client.post(f"/lists/{list_id}/items/{c}", data={"action": "up"})
    assert moved.status_code == 302
    assert order() == ["Alpha Pantry", "Charlie Legal", "Bravo Clinic"]
    client.post(f"/lists/{list_id}/items/{a}", data={"action": "down"})
    assert order() == ["Charlie Legal", "Alpha Pantry", "Bravo Clinic"]
    client.post(f"/lists/{list_id}/items/{b}", data={"action": "down"})  # already last
    assert order() == ["Charlie Legal", "Alpha Pantry", "Bravo Clinic"]
    client.post(f"/lists/{list_id}/items/{a}", data={"action": "remove"})
    assert order() == ["Charlie Legal", "Bravo Clinic"]

    refused = client.post(f"/lists/{list_id}/rename", data={"name": "Maria Lopez follow-up"})
    assert refused.status_code == 422
    assert 'id="name-error"' in refused.get_data(as_text=True)
    assert db.session.get(SavedList, list_id).name == "Tuesday clinic"
    client.post(f"/lists/{list_id}/rename", data={"name": "Thursday clinic"})
    db.session.expire_all()
    assert db.session.get(SavedList, list_id).name == "Thursday clinic"

    confirm = client.get(f"/lists/{list_id}/delete")
    assert confirm.status_code == 200
    assert 'name="confirmed"' in confirm.get_data(as_text=True)
    assert db.session.get(SavedList, list_id) is not None  # asking is not deleting
    gone = client.post(f"/lists/{list_id}/delete", data={"confirmed": "1"})
    assert gone.status_code == 302
    assert client.get(f"/lists/{list_id}").status_code == 404


def test_save_from_the_service_page_and_a_refused_name(client, login, three):
    a, _b, _c = three
    login("viewer")  # anyone who may search keeps lists
    page = client.get(f"/services/{a}").get_data(as_text=True)
    assert 'id="save-list"' in page
    assert 'action="/lists/save"' in page
    refused = client.post(
        "/lists/save",
        data={"service_id": a, "new_name": "DOB 03/04/1990", "next": f"/services/{a}#save-list"},
    )
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert 'id="new_name-error"' in body
    assert db.session.scalar(select(SavedList)) is None
    done = client.post(
        "/lists/save",
        data={"service_id": a, "new_name": "Shelters north", "next": f"/services/{a}#save-list"},
        follow_redirects=True,
    )
    assert "Saved to “Shelters north”" in unescape(done.get_data(as_text=True))
    # the same name again (any case) is the same list
    client.post("/lists/save", data={"service_id": a, "new_name": "shelters NORTH", "next": "/"})
    assert len(db.session.scalars(select(SavedList)).all()) == 1


def test_lists_page_and_others_pages(client, login, three):
    login("case_manager")
    client.post("/lists", data={"name": "Monday outreach"})
    list_id = db.session.scalar(select(SavedList.id))
    client.post(
        "/lists/save",
        data={"service_id": three[0], "list_id": list_id, "next": "/lists"},
        follow_redirects=True,  # the confirmation is read here, not after the next login
    )
    mine = client.get("/lists").get_data(as_text=True)
    assert "Monday outreach" in mine
    assert "1 service" in mine
    login("case_manager_b")
    assert "Monday outreach" not in client.get("/lists").get_data(as_text=True)
    assert client.get(f"/lists/{list_id}").status_code == 404
    assert client.post(f"/lists/{list_id}/rename", data={"name": "x"}).status_code == 404
    login("case_manager")
    client.post(f"/lists/{list_id}/shared", data={"shared": "true"})
    login("case_manager_b")
    assert "Monday outreach" in client.get("/lists").get_data(as_text=True)
    shared = client.get(f"/lists/{list_id}").get_data(as_text=True)
    assert "Alpha Pantry" in shared
    assert "read-only" in shared
    assert "Move up" not in shared
    assert "Delete the list" not in shared
    assert (
        client.post(f"/lists/{list_id}/items/{three[0]}", data={"action": "remove"}).status_code
        == 403
    )
    assert client.post(f"/lists/{list_id}/delete", data={"confirmed": "1"}).status_code == 403
    # a shared list is not a teammate's to save into
    assert (
        client.post(
            "/lists/save", data={"service_id": three[1], "list_id": list_id, "next": "/"}
        ).status_code
        == 403
    )


def test_a_list_created_with_a_client_name_on_the_lists_page_is_refused(client, login):
    login("case_manager")
    refused = client.post("/lists", data={"name": "Maria Lopez follow-up"})
    assert refused.status_code == 422
    assert 'id="name-error"' in refused.get_data(as_text=True)
    assert "<mark" in refused.get_data(as_text=True)  # the span is marked
    assert db.session.scalar(select(SavedList)) is None


# --- confidential places -----------------------------------------------------------------


def test_a_withheld_address_never_leaks_through_a_shared_list(
    api, client, login, hidden_place, three
):
    coordinator = api("coordinator")
    list_id = coordinator(
        "POST",
        "/api/v1/lists",
        {"name": "Night options", "service_ids": [hidden_place, three[0]], "shared": True},
    ).get_json()["id"]
    # the owner, a coordinator, sees the address in the app
    login("coordinator")
    assert "77 Withheld Lane" in client.get(f"/lists/{list_id}").get_data(as_text=True)
    login("case_manager")
    page = client.get(f"/lists/{list_id}").get_data(as_text=True)
    assert "Harbor Safe House" in page
    assert "77 Withheld Lane" not in page
    assert "60699" not in page
    assert "Confidential location" in page
    for who in ("case_manager", "coordinator"):
        login(who)
        text = pdf_text(client.get(f"/sheets/directory.pdf?list={list_id}"))
        assert "Harbor Safe House" in text
        assert "Withheld Lane" not in text
        assert "60699" not in text
        share_text = unescape(
            re.search(
                r'<textarea id="share-text"[^>]*>(.*?)</textarea>',
                client.get(f"/lists/{list_id}").get_data(as_text=True),
                re.S,
            ).group(1)
        )
        assert "Withheld Lane" not in share_text
        assert "60699" not in share_text
        assert "+1 312-555-0111" in share_text or "+13125550111" in share_text


# --- the printed sheet -------------------------------------------------------------------


def test_the_sheet_of_a_list_holds_its_services_in_its_order(api, client, login, three):
    a, b, c = three
    ServiceFactory(name="Delta Not Listed", category="food")
    db.session.commit()
    list_id = api("case_manager")(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": [c, a, b]}
    ).get_json()["id"]
    login("case_manager")
    page = client.get(f"/lists/{list_id}").get_data(as_text=True)
    assert f'href="/sheets/directory.pdf?list={list_id}"' in page
    text = pdf_text(client.get(f"/sheets/directory.pdf?list={list_id}"))
    assert "Tuesday clinic" in text
    assert "Delta Not Listed" not in text
    where = [text.index(name) for name in ("Charlie Legal", "Alpha Pantry", "Bravo Clinic")]
    assert where == sorted(where), text
    # somebody else may not print a private list, nor learn it exists
    login("case_manager_b")
    assert client.get(f"/sheets/directory.pdf?list={list_id}").status_code == 404
    assert client.get("/sheets/directory.pdf?list=abc").status_code == 400


def test_a_large_list_sheet_is_made_by_a_job(app, api, client, login, three):
    list_id = api("case_manager")(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": [three[2], three[0]]}
    ).get_json()["id"]
    app.config["SHEET_JOB_MIN_SERVICES"] = 2
    login("case_manager")
    started = client.get(f"/sheets/directory.pdf?list={list_id}")
    assert started.status_code == 303
    job_id = int(re.fullmatch(r"/jobs/(\d+)", started.headers["Location"]).group(1))
    state = wait_for_job(job_id)
    assert state["status"] == "done", state["error"]
    assert state["result"]["services"] == 2
    download = client.get(f"/jobs/{job_id}/download")
    text = re.sub(
        r"\s+",
        " ",
        "".join(p.extract_text() for p in PdfReader(io.BytesIO(download.get_data())).pages),
    )
    download.close()
    assert text.index("Charlie Legal") < text.index("Alpha Pantry")


# --- the discreet share ------------------------------------------------------------------


def test_the_discreet_share_of_a_list_holds_no_telltale_word(api, client, login, hidden_place):
    legal = ServiceFactory(
        name="Trafficking Survivors Legal Aid",
        category="legal",
        organization=OrganizationFactory(name="Freedom From Exploitation Network"),
    )
    PhoneFactory(service=legal, number="+13125550122")
    db.session.commit()
    list_id = api("case_manager")(
        "POST", "/api/v1/lists", {"name": "Shelters north", "service_ids": [hidden_place, legal.id]}
    ).get_json()["id"]
    login("case_manager")
    for lang in share.LANGS:
        page = client.get(f"/lists/{list_id}?share_lang={lang}").get_data(as_text=True)
        text = unescape(
            re.search(r'<textarea id="share-text"[^>]*>(.*?)</textarea>', page, re.S).group(1)
        )
        assert share.telltale_in(text) == [], (lang, text)
        for word in ("Shelters north", "Harbor", "Freedom", "Trafficking", "harbor-shelter"):
            assert word.lower() not in text.lower(), (lang, word, text)
        assert "+13125550111" in text
        assert "+13125550122" in text
        handout = pdf_text(client.get(f"/lists/{list_id}/handout.pdf?lang={lang}"))
        assert share.telltale_in(handout) == [], (lang, handout)
        assert "Shelters north" not in handout
        assert "Harbor" not in handout
        assert "+13125550111" in handout
        assert "+13125550122" in handout
    # the blocks are the single-service discreet shares, one per service, in the list's order
    blocks = text.split("\n\n")
    assert len(blocks) == 2


# --- CSRF and deletion -------------------------------------------------------------------


def test_the_save_form_needs_its_csrf_token(database_url, users):
    from flask import g

    from app import create_app
    from app.config import config_for_tests
    from tests.conftest import PASSWORD

    app = create_app({**config_for_tests(database_url), "WTF_CSRF_ENABLED": True})
    with app.app_context():
        service_id = ServiceFactory(name="Alpha Pantry").id
        client = app.test_client()
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)
        ).group(1)
        client.post(
            "/login",
            data={"email": "case_manager@test.example", "password": PASSWORD, "csrf_token": token},
        )
        form = {"service_id": service_id, "new_name": "Tuesday clinic", "next": "/"}
        assert client.post("/lists/save", data=form).status_code == 400
        assert db.session.scalar(select(SavedList)) is None
        # the test's app context outlives requests: drop the token it cached before the
        # login renewed the session, so the page makes one for the signed-in session
        g.pop("csrf_token", None)
        page = client.get(f"/services/{service_id}").get_data(as_text=True)
        token = re.search(
            r'action="/lists/save">\s*<input type="hidden" name="csrf_token" value="([^"]+)"', page
        ).group(1)
        done = client.post("/lists/save", data={**form, "csrf_token": token})
        assert done.status_code == 302, done.get_data(as_text=True)
        assert db.session.scalar(select(SavedList.name)) == "Tuesday clinic"
        db.session.remove()
        db.engine.dispose()


def test_a_deleted_service_leaves_its_lists(api, three):
    a, b, c = three
    call = api("case_manager")
    list_id = call("POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": [a, b, c]})
    list_id = list_id.get_json()["id"]
    db.session.delete(db.session.get(Service, b))
    db.session.commit()
    assert call("GET", f"/api/v1/lists/{list_id}").get_json()["service_ids"] == [a, c]
    assert db.session.scalar(select(SavedListItem).where(SavedListItem.service_id == b)) is None


def test_a_service_made_inactive_neither_blocks_the_list_nor_is_lost_by_a_patch(
    api, client, login, three
):
    """Hostile read, #31: a list holding a service made inactive since could not take a
    new one (422 on an id its owner cannot see), and a PATCH with the ids the API showed
    dropped the hidden one for good. Now the list changes, and the hidden one stays on it,
    coming back when the service is active again."""
    a, b, c = three
    call = api("case_manager")
    list_id = call(
        "POST", "/api/v1/lists", {"name": "Tuesday clinic", "service_ids": [a, b]}
    ).get_json()["id"]
    db.session.get(Service, a).status = "inactive"
    db.session.commit()
    shown = call("GET", f"/api/v1/lists/{list_id}").get_json()["service_ids"]
    assert shown == [b]
    patched = call("PATCH", f"/api/v1/lists/{list_id}", {"service_ids": [*shown, c]})
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["service_ids"] == [b, c]
    db.session.get(Service, a).status = "active"
    db.session.commit()
    assert call("GET", f"/api/v1/lists/{list_id}").get_json()["service_ids"] == [b, c, a]


def test_one_person_keeps_at_most_a_hundred_lists(api, monkeypatch):
    from directory.lists import saved

    monkeypatch.setattr(saved, "MAX_LISTS", 3)
    call = api("viewer")
    for n in range(3):
        assert call("POST", "/api/v1/lists", {"name": f"Route {n}"}).status_code == 201
    refused = call("POST", "/api/v1/lists", {"name": "Route 4"})
    assert refused.status_code == 422
    assert list(refused.get_json()["errors"]) == ["name"]
    assert api("case_manager")("POST", "/api/v1/lists", {"name": "Route 4"}).status_code == 201
