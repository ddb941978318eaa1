"""queue index: urgency rank on concern and an index of open items in queue order

Revision ID: 484f617e48aa
Revises: e5a0c2f4b817
Create Date: 2026-11-26 17:31:47.196077

The staff queue sorted every open item on each request (the order used a CASE on urgency)
and then kept 50. With the urgency's rank stored, a partial index over open items in queue
order gives the first page directly, and its included columns answer the per-filter counts
and the access policy without reading the table.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '484f617e48aa'
down_revision = 'e5a0c2f4b817'
branch_labels = None
depends_on = None

OPEN = "status IN ('new', 'acknowledged', 'in_progress', 'deferred')"
RANK = "CASE urgency WHEN 'immediate' THEN 0 WHEN 'urgent' THEN 1 ELSE 2 END"
INCLUDE = ['status', 'scheme', 'wing_id', 'assigned_to_id', 'about_staff_id', 'owner_team',
           'confidentiality', 'extra_owners', 'co_schemes']


def upgrade():
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.add_column(sa.Column('urgency_rank', sa.SmallInteger(), server_default='2',
                                      nullable=False))
    op.execute(f"UPDATE concern SET urgency_rank = {RANK} "  # noqa: S608 (constants only)
               "WHERE urgency IN ('immediate', 'urgent')")
    if op.get_bind().dialect.name == 'postgresql':
        # SQLite cannot add a CHECK without rebuilding the table (and its foreign keys cascade).
        op.create_check_constraint(op.f('ck_concern_urgency_rank_matches'), 'concern',
                                   f"urgency_rank = {RANK}")
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.create_index(
            'ix_concern_queue_open',
            ['establishment_id', sa.literal_column('escalation_level DESC'), 'urgency_rank',
             'next_deadline', 'id'],
            unique=False, postgresql_include=INCLUDE,
            postgresql_where=sa.text(OPEN), sqlite_where=sa.text(OPEN))


def downgrade():
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_index('ix_concern_queue_open')
    if op.get_bind().dialect.name == 'postgresql':
        op.drop_constraint(op.f('ck_concern_urgency_rank_matches'), 'concern', type_='check')
    with op.batch_alter_table('concern', schema=None) as batch_op:
        batch_op.drop_column('urgency_rank')
