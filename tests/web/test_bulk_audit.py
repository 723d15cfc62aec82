"""Every bulk read of confidential addresses, every export, backup and outbox read leaves
an audit entry (issue #27: a coordinator listing every shelter address, an HSDS export, a
backup and reading the outbox left none)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent
from tests.factories import LocationFactory, OrganizationFactory, ServiceFactory


def _entries(action: str, object_type: str) -> list[AuditEvent]:
    db.session.expire_all()
    stmt = select(AuditEvent).where(
        AuditEvent.action == action, AuditEvent.object_type == object_type
    )
    return list(db.session.scalars(stmt.order_by(AuditEvent.id)))


def _shelters():
    org = OrganizationFactory(name="Safe Homes")
    hidden = LocationFactory(organization=org, confidential=True, address_1="9 Hidden Lane")
    shelter = ServiceFactory(organization=org, location=hidden, name="Night shelter")
    pantry = ServiceFactory(organization=org, name="Pantry")
    return org, shelter, pantry


def test_a_coordinator_listing_withheld_addresses_is_audited(client, login, users):
    org, shelter, _pantry = _shelters()
    login("coordinator")
    page = client.get(f"/organizations/{org.id}")
    assert page.status_code == 200
    assert "9 Hidden Lane" in page.get_data(as_text=True)
    [entry] = _entries("read", "locations")
    assert entry.actor == users["coordinator"].email
    assert entry.detail == f"withheld addresses in a list of 2: services {shelter.id}"


def test_a_list_without_withheld_addresses_shown_is_not_recorded(client, login, users):
    org, _shelter, _pantry = _shelters()
    login("viewer")  # sees no withheld address
    page = client.get(f"/organizations/{org.id}")
    assert page.status_code == 200
    assert "9 Hidden Lane" not in page.get_data(as_text=True)
    assert _entries("read", "locations") == []


def test_exports_are_audited(client, login, users):
    _shelters()
    login("coordinator")
    assert client.get("/hsds/export.zip").status_code == 303  # a job writes the package
    assert client.get("/sheets/directory.csv").status_code == 200
    assert client.get("/referrals/figures.csv").status_code == 200
    db.session.expire_all()
    stmt = select(AuditEvent).where(AuditEvent.action == "export").order_by(AuditEvent.id)
    entries = list(db.session.scalars(stmt))
    assert [e.object_type for e in entries] == [
        "hsds package",
        "directory sheet",
        "referral figures",
    ]
    assert {e.actor for e in entries} == {users["coordinator"].email}
    assert entries[0].detail.startswith("job ")
    assert entries[1].detail.startswith("csv")


def test_reading_the_outbox_is_audited(client, login, users):
    login("admin")
    assert client.get("/admin/outbox").status_code == 200
    [entry] = _entries("export", "outbox")
    assert entry.actor == users["admin"].email
    assert entry.detail == "page 1 of 0: ids none"


def test_a_backup_and_a_restore_are_audited(app, tmp_path):
    runner = app.test_cli_runner()
    target = tmp_path / "copy.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    [entry] = _entries("export", "backup")
    assert entry.actor == "cli"
    assert entry.detail == f"to {target}"
    result = runner.invoke(args=["restore", "--yes", str(target)])
    assert result.exit_code == 0, result.output
    [restored] = _entries("restore", "database")
    assert restored.actor == "cli"
    # the copy was taken before its own entry was written: restored, that entry is gone
    assert [e.object_type for e in _entries("export", "backup")] == []


def test_the_hsds_export_command_is_audited(app, tmp_path):
    result = app.test_cli_runner().invoke(args=["hsds", "export", str(tmp_path / "pkg")])
    assert result.exit_code == 0, result.output
    [entry] = _entries("export", "hsds package")
    assert entry.actor == "cli"
