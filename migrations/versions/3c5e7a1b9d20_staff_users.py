"""Staff users who sign in to the workspace pages.

Revision ID: 3c5e7a1b9d20
Revises: 8d6a91242719
Create Date: 2026-12-02 03:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '3c5e7a1b9d20'
down_revision = '8d6a91242719'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('staff_user',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('municipality_id', sa.Integer(), nullable=True),
    sa.Column('centre_id', sa.Integer(), nullable=True),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_signin_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['centre_id'], ['centre.id'], name=op.f('fk_staff_user_centre_id_centre'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['municipality_id'], ['municipality.id'], name=op.f('fk_staff_user_municipality_id_municipality'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_user')),
    sa.UniqueConstraint('email', name=op.f('uq_staff_user_email'))
    )
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_user_centre_id'), ['centre_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_user_municipality_id'), ['municipality_id'], unique=False)


def downgrade():
    with op.batch_alter_table('staff_user', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_user_municipality_id'))
        batch_op.drop_index(batch_op.f('ix_staff_user_centre_id'))

    op.drop_table('staff_user')
