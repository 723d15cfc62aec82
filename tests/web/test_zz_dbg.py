from collections import Counter
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from directory.hsds import load
from directory.models import Phone, Service
from directory.source_terms import SourceTerm

DATA = Path(__file__).parents[1] / "data"


def test_dbg(app):
    for name in ["sanmateo-ohana-1.0", "hsds-3.1-example", "hsds-1.1-sample"]:
        r = load.import_package(db.session, DATA / name, skip_invalid=True)
        db.session.commit()
        print(
            name,
            r.tables["phones"],
            Counter(db.session.scalars(select(Phone.kind))),
            db.session.scalar(select(db.func.count()).select_from(Phone)),
        )
        print(
            [
                (p.number, p.kind, p.service_id, p.location_id, p.organization_id)
                for p in db.session.scalars(select(Phone))
            ][:60]
        )
        print(Counter(db.session.scalars(select(Service.status))))
        print([(t.code, t.name) for t in db.session.scalars(select(SourceTerm))][:5])
        for t in (Phone, Service, SourceTerm):
            db.session.execute(t.__table__.delete())
        db.session.commit()
