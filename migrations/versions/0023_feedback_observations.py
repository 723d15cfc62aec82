"""Feedback notes may be choices alone: observations per AAAQ dimension, text optional

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 12:00:00

``feedback_notes.observations`` holds the common observations a case manager ticked
(``directory.models.OBSERVATIONS``, space-separated codes); ``feedback_notes.text`` becomes
optional, so most feedback never needs free text (#30, "structured first"). A note has
text, observations or both (checked by the schema). Downgrading writes the observation
codes into the text of a note that has none, so no note is lost.
"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("feedback_notes") as batch_op:
        batch_op.add_column(sa.Column("observations", sa.String(length=400), nullable=True))
        batch_op.alter_column("text", existing_type=sa.Text(), nullable=True)


def downgrade():
    notes = sa.table(
        "feedback_notes", sa.column("text", sa.Text()), sa.column("observations", sa.String())
    )
    op.execute(
        notes.update()
        .where(notes.c.text.is_(None))
        .values(text=sa.func.coalesce(notes.c.observations, ""))
    )
    with op.batch_alter_table("feedback_notes") as batch_op:
        batch_op.alter_column("text", existing_type=sa.Text(), nullable=False)
        batch_op.drop_column("observations")
