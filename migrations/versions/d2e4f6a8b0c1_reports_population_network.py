"""Figures for municipalities: municipality.population and
municipality.network_opt_in (the learning network, off by default), and
session.participants (participants who came, set by the coordinator).

Revision ID: d2e4f6a8b0c1
Revises: b7d3f5a1c9e2
Create Date: 2026-12-02 06:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd2e4f6a8b0c1'
down_revision = 'b7d3f5a1c9e2'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.add_column(sa.Column('population', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('network_opt_in', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.add_column(sa.Column('participants', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('session', schema=None) as batch_op:
        batch_op.drop_column('participants')
    with op.batch_alter_table('municipality', schema=None) as batch_op:
        batch_op.drop_column('network_opt_in')
        batch_op.drop_column('population')
