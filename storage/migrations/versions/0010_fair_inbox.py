"""inbox: fair handling across senders and a per-sender rate limit

Revision ID: 0010_fair_inbox
Revises: 0001
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0010_fair_inbox'
down_revision = '0001'
branch_labels = None
depends_on = None

OLD_STATUSES = ('pending', 'done', 'ignored', 'failed')


def upgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("ALTER TYPE inboxstatus ADD VALUE IF NOT EXISTS 'throttled'")
    with op.batch_alter_table('inboxevent', schema=None) as batch_op:
        batch_op.add_column(sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(), nullable=False,
                                      server_default=''))
        batch_op.add_column(sa.Column('turn', sa.Integer(), nullable=False, server_default='0'))
        if op.get_bind().dialect.name != 'postgresql':
            batch_op.alter_column('status', type_=sa.Enum(*OLD_STATUSES, 'throttled', name='inboxstatus'),
                                  existing_type=sa.Enum(*OLD_STATUSES, name='inboxstatus'))
        batch_op.drop_index('ix_inbox_pending')
        batch_op.create_index('ix_inbox_fair', ['status', 'turn', 'id'], unique=False)
        batch_op.create_index('ix_inbox_sender', ['platform', 'sender', 'status', 'id'], unique=False)
    with op.batch_alter_table('inboxevent', schema=None) as batch_op:
        batch_op.alter_column('sender', server_default=None)
        batch_op.alter_column('turn', server_default=None)
    op.create_table('senderbucket',
    sa.Column('platform', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('sender', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('tokens', sa.Float(), nullable=False),
    sa.Column('at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('throttled', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('platform', 'sender')
    )


def downgrade() -> None:
    op.drop_table('senderbucket')
    with op.batch_alter_table('inboxevent', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_sender')
        batch_op.drop_index('ix_inbox_fair')
        batch_op.create_index('ix_inbox_pending', ['status', 'id'], unique=False)
        batch_op.drop_column('turn')
        batch_op.drop_column('sender')
