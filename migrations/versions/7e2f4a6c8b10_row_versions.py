"""A version on every editable row, for ETag / If-Match (optimistic concurrency).

Revision ID: 7e2f4a6c8b10
Revises: c4d8e2a6f1b3
Create Date: 2026-12-02 04:05:00

"""
from alembic import op
import sqlalchemy as sa


revision = '7e2f4a6c8b10'
down_revision = 'c4d8e2a6f1b3'
branch_labels = None
depends_on = None

TABLES = ('municipality', 'centre', 'place', 'volunteer', 'activity', 'session')


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False)
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('version')
