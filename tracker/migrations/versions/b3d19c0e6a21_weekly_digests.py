"""weekly digests: archived digest per recipient and week; event index for first actions

Revision ID: b3d19c0e6a21
Revises: 4a7e2965fd5b
Create Date: 2026-11-26 15:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

import tracker.models.base

# revision identifiers, used by Alembic.
revision = 'b3d19c0e6a21'
down_revision = '4a7e2965fd5b'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('digest',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('establishment_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=80), nullable=False),
    sa.Column('recipient_id', sa.Integer(), nullable=False),
    sa.Column('week_ending', sa.Date(), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.Column('created_at', tracker.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['establishment_id'], ['establishment.id'],
                            name=op.f('fk_digest_establishment_id_establishment')),
    sa.ForeignKeyConstraint(['recipient_id'], ['user_account.id'],
                            name=op.f('fk_digest_recipient_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_digest')),
    sa.UniqueConstraint('establishment_id', 'scope', 'recipient_id', 'week_ending',
                        name=op.f('uq_digest_establishment_id_scope_recipient_id_week_ending'))
    )
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_digest_recipient_id'), ['recipient_id'], unique=False)
    with op.batch_alter_table('concern_event', schema=None) as batch_op:
        batch_op.create_index('ix_concern_event_kind_at', ['kind', 'at'], unique=False)


def downgrade():
    with op.batch_alter_table('concern_event', schema=None) as batch_op:
        batch_op.drop_index('ix_concern_event_kind_at')
    with op.batch_alter_table('digest', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_digest_recipient_id'))
    op.drop_table('digest')
