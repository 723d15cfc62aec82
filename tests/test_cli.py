"""The app's commands, run through Flask's CLI runner."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.models import ApiToken, User
from directory.models import Organization, Service


def test_users_create_and_token(app, client):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "users",
            "create",
            "Nurse@Clinic.example",
            "--role",
            "case_manager",
            "--password",
            "a long enough password",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User).where(User.email == "nurse@clinic.example"))
    assert user.role == "case_manager"
    assert user.password_hash != "a long enough password"
    short = runner.invoke(
        args=["users", "create", "x@clinic.example", "--role", "viewer", "--password", "short"]
    )
    assert short.exit_code != 0
    assert "at least 12" in short.output
    common = runner.invoke(
        args=[
            "users",
            "create",
            "y@clinic.example",
            "--role",
            "viewer",
            "--password",
            "password1234",
        ]
    )
    assert common.exit_code != 0
    assert "too common" in common.output
    bad_role = runner.invoke(
        args=[
            "users",
            "create",
            "z@clinic.example",
            "--role",
            "boss",
            "--password",
            "a long enough password",
        ]
    )
    assert bad_role.exit_code != 0
    result = runner.invoke(args=["users", "token", "nurse@clinic.example"])
    secret = result.output.strip()
    assert len(secret) > 30
    assert db.session.scalar(select(ApiToken)).token_hash != secret
    api = client.get("/api/v1/services", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code == 200


def test_seed_demo_is_idempotent(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["seed", "demo"])
    assert first.exit_code == 0, first.output
    counts = (
        db.session.scalar(select(func.count()).select_from(Organization)),
        db.session.scalar(select(func.count()).select_from(Service)),
    )
    assert counts[1] >= 60
    second = runner.invoke(args=["seed", "demo"])
    assert "(0 new records)" in second.output
    assert counts == (
        db.session.scalar(select(func.count()).select_from(Organization)),
        db.session.scalar(select(func.count()).select_from(Service)),
    )
    skipped = runner.invoke(args=["seed", "demo", "--if-empty"])
    assert "not loaded" in skipped.output


def test_demo_directory_covers_every_category_and_the_rules(app):
    from directory import seeding, taxonomy

    seeding.load_demo(db.session)
    db.session.commit()
    services = db.session.scalars(select(Service)).all()
    assert {s.category for s in services} == set(taxonomy.categories())
    assert sum(s.open_24_7 for s in services) >= 5
    assert sum(1 for s in services if s.location and s.location.confidential) >= 4
    assert len({c for s in services for c in s.language_list}) >= 10
    for s in services:
        for p in s.phones:
            # fictional numbers only: NANP 555-0100..0199
            assert p.number[5:10] == "55501", p.number
    intl = {
        o.name: o.website
        for o in db.session.scalars(
            select(Organization).where(Organization.kind == "international")
        )
    }
    assert intl["UNICEF"] == "https://www.unicef.org/"
    assert intl["United Nations Office on Drugs and Crime"] == "https://www.unodc.org/"
    demo_orgs = db.session.scalars(select(Organization).where(Organization.is_demo)).all()
    assert all("(demo)" in o.name for o in demo_orgs)
