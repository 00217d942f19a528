"""Volunteer self-service: activity.self_signup, swap and attendance columns on
assignment, volunteer.erasure_requested_at, and hours_entry (hours logged by
volunteers for work outside planned sessions).

Revision ID: b7d3f5a1c9e2
Revises: a9afa5cf7366
Create Date: 2026-12-02 04:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7d3f5a1c9e2'
down_revision = 'a9afa5cf7366'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_signup', sa.Boolean(), server_default=sa.true(),
                                      nullable=False))
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('swap_offered_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('attendance', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('attendance_marked_at', sa.DateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('attendance_marked_by', sa.String(length=100), nullable=True))
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.add_column(sa.Column('erasure_requested_at', sa.DateTime(timezone=True),
                                      nullable=True))
    op.create_table('hours_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('volunteer_id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=True),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('hours', sa.Float(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('decided_by', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['activity.id'], name=op.f('fk_hours_entry_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['volunteer_id'], ['volunteer.id'], name=op.f('fk_hours_entry_volunteer_id_volunteer'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hours_entry'))
    )
    with op.batch_alter_table('hours_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hours_entry_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_hours_entry_volunteer_id'), ['volunteer_id'], unique=False)


def downgrade():
    with op.batch_alter_table('hours_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hours_entry_volunteer_id'))
        batch_op.drop_index(batch_op.f('ix_hours_entry_status'))
    op.drop_table('hours_entry')
    with op.batch_alter_table('volunteer', schema=None) as batch_op:
        batch_op.drop_column('erasure_requested_at')
    with op.batch_alter_table('assignment', schema=None) as batch_op:
        batch_op.drop_column('attendance_marked_by')
        batch_op.drop_column('attendance_marked_at')
        batch_op.drop_column('attendance')
        batch_op.drop_column('swap_offered_at')
    with op.batch_alter_table('activity', schema=None) as batch_op:
        batch_op.drop_column('self_signup')
