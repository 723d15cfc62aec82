"""Child process of the crash test: writes records with the app's SQLite settings and
prints each id once its transaction is committed (the acknowledgement)."""

import sys
from datetime import datetime

from sqlalchemy import column, create_engine, insert, table

import app  # noqa: F401 - registers the app's SQLite pragmas (WAL, busy timeout, foreign keys)

ORGS = table(
    "organizations",
    *(
        column(c)
        for c in (
            "name",
            "hsds_id",
            "kind",
            "scope",
            "mou_status",
            "status",
            "is_demo",
            "version",
            "created_at",
            "updated_at",
        )
    ),
)
MOMENT = datetime(2026, 1, 1)
engine = create_engine(f"sqlite:///{sys.argv[1]}")
start = int(sys.argv[2])
with engine.connect() as conn:
    for n in range(start, start + 100000):
        conn.execute(
            insert(ORGS).values(
                name=f"crash-{n}",
                hsds_id=f"crash-{n}",
                kind="ngo",
                scope="local",
                mou_status="none",
                status="active",
                is_demo=False,
                version=1,
                created_at=MOMENT,
                updated_at=MOMENT,
            )
        )
        conn.commit()
        print(n, flush=True)
