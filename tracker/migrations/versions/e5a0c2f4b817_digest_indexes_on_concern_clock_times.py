"""digest indexes on concern: resolved_at, updated_at, ack_due_at, resolve_due_at

Revision ID: e5a0c2f4b817
Revises: b3d19c0e6a21
Create Date: 2026-11-26 16:05:00.000000

The weekly digest asks which items were open at the end of a week and which fell due in it;
with these it reads the open and recently changed items instead of years of history.
"""
from alembic import op

# revision identifiers, used by Alembic.
revision = 'e5a0c2f4b817'
down_revision = 'b3d19c0e6a21'
branch_labels = None
depends_on = None

INDEXES = {
    'ix_concern_resolved_at': 'resolved_at',
    'ix_concern_updated_at': 'updated_at',
    'ix_concern_ack_due_at': 'ack_due_at',
    'ix_concern_resolve_due_at': 'resolve_due_at',
}


def upgrade():
    with op.batch_alter_table('concern', schema=None) as batch_op:
        for name, column in INDEXES.items():
            batch_op.create_index(name, [column], unique=False)


def downgrade():
    with op.batch_alter_table('concern', schema=None) as batch_op:
        for name in INDEXES:
            batch_op.drop_index(name)
