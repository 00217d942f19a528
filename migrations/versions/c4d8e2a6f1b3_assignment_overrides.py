"""What a coordinator overruled when assigning someone by hand.

Revision ID: c4d8e2a6f1b3
Revises: 5b1d2c3e4f60
Create Date: 2026-12-02 03:40:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c4d8e2a6f1b3'
down_revision = '5b1d2c3e4f60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assignment_override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', sa.Integer(), nullable=False),
    sa.Column('rules', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('made_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], name=op.f('fk_assignment_override_assignment_id_assignment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignment_override')),
    sa.UniqueConstraint('assignment_id', name=op.f('uq_assignment_override_assignment_id'))
    )


def downgrade():
    op.drop_table('assignment_override')
