"""At most one waiting repair run per centre (a unique partial index).

Revision ID: 5b1d2c3e4f60
Revises: 3c5e7a1b9d20
Create Date: 2026-12-02 03:55:00

"""
from alembic import op
import sqlalchemy as sa


revision = '5b1d2c3e4f60'
down_revision = '3c5e7a1b9d20'
branch_labels = None
depends_on = None

WHERE = sa.text("status = 'queued' AND \"trigger\" = 'decline'")


def upgrade():
    # Repairs queued twice by racing declines before this index existed:
    # keep the oldest waiting one per centre, widened to the latest window.
    op.execute(
        "UPDATE match_run SET window_to = (SELECT max(m.window_to) FROM match_run m "
        "WHERE m.centre_id = match_run.centre_id AND m.status = 'queued' "
        "AND m.\"trigger\" = 'decline') "
        "WHERE status = 'queued' AND \"trigger\" = 'decline'"
    )
    op.execute(
        "UPDATE match_run SET status = 'cancelled', error = 'a duplicate of the centre''s waiting repair run' "
        "WHERE status = 'queued' AND \"trigger\" = 'decline' AND id > (SELECT min(m.id) FROM match_run m "
        "WHERE m.centre_id = match_run.centre_id AND m.status = 'queued' AND m.\"trigger\" = 'decline')"
    )
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.create_index('uq_match_run_one_waiting_repair', ['centre_id'], unique=True,
                              sqlite_where=WHERE, postgresql_where=WHERE)


def downgrade():
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_index('uq_match_run_one_waiting_repair',
                            sqlite_where=WHERE, postgresql_where=WHERE)
