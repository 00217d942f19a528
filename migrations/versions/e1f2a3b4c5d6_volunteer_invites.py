"""One-time sign-in links for volunteers (volunteer_invite).

Revision ID: e1f2a3b4c5d6
Revises: 7e2f4a6c8b10, 9a4c1e7d2b35 (also joins the two branches)
Create Date: 2026-12-02 04:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'e1f2a3b4c5d6'
down_revision = ('7e2f4a6c8b10', '9a4c1e7d2b35')
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('volunteer_invite',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('created_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('token_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_volunteer_invite_token_id_api_token'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_volunteer_invite_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_invite')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_volunteer_invite_code_hash'))
    )
    with op.batch_alter_table('volunteer_invite', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_invite_token_id'), ['token_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_invite_volunteer_id'), ['volunteer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('volunteer_invite', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_invite_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_invite_token_id'))

    op.drop_table('volunteer_invite')
