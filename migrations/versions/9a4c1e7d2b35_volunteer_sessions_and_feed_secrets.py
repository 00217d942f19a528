"""Server-side sign-ins of the volunteers' page and random calendar-feed secrets.

Revision ID: 9a4c1e7d2b35
Revises: 5b1d2c3e4f60
Create Date: 2026-12-02 03:50:00

"""
from alembic import op
import sqlalchemy as sa


revision = '9a4c1e7d2b35'
down_revision = '5b1d2c3e4f60'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed_secret',
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('secret', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_calendar_feed_secret_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('volunteer_id', name=op.f('pk_calendar_feed_secret'))
    )
    op.create_table('volunteer_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('nonce_hash', sa.String(length=64), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('token_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['token_id'], ['api_token.id'], name=op.f('fk_volunteer_session_token_id_api_token'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_volunteer_session_volunteer_id_volunteer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_volunteer_session')),
    sa.UniqueConstraint('nonce_hash', name=op.f('uq_volunteer_session_nonce_hash'))
    )
    with op.batch_alter_table('volunteer_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_volunteer_session_token_id'), ['token_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_volunteer_session_volunteer_id'), ['volunteer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('volunteer_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_volunteer_session_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_volunteer_session_token_id'))

    op.drop_table('volunteer_session')
    op.drop_table('calendar_feed_secret')
