"""Activity templates: an activity's design published for other centres.

Revision ID: f3a5b7c9d1e2
Revises: d2e4f6a8b0c1
Create Date: 2026-12-02 06:15:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'f3a5b7c9d1e2'
down_revision = 'd2e4f6a8b0c1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('activity_template',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_municipality_id', sa.Integer(), nullable=True),
    sa.Column('source_activity_id', sa.Integer(), nullable=True),
    sa.Column('source_name', sa.String(length=200), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('interests', sa.JSON(), nullable=False),
    sa.Column('needs', sa.JSON(), nullable=False),
    sa.Column('roles', sa.JSON(), nullable=False),
    sa.Column('pattern', sa.JSON(), nullable=True),
    sa.Column('achieved', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['source_activity_id'], ['activity.id'], name=op.f('fk_activity_template_source_activity_id_activity'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_municipality_id'], ['municipality.id'], name=op.f('fk_activity_template_source_municipality_id_municipality'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_template'))
    )
    with op.batch_alter_table('activity_template', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_template_source_municipality_id'), ['source_municipality_id'], unique=False)


def downgrade():
    with op.batch_alter_table('activity_template', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_template_source_municipality_id'))
    op.drop_table('activity_template')
