"""Match runs: when a run was handed to the task queue, and the last sign of
life of the process running it.

Revision ID: a7c3e9f1b2d4
Revises: f3a5b7c9d1e2
Create Date: 2026-12-02 13:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7c3e9f1b2d4'
down_revision = 'f3a5b7c9d1e2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('enqueued_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('heartbeat_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_column('heartbeat_at')
        batch_op.drop_column('enqueued_at')
