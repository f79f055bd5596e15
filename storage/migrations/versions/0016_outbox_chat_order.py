"""outbox: an index on (platform, chat_id, status), for dispatchers that keep each chat's messages in order

Revision ID: 0016_outbox_chat
Revises: 0001
Create Date: 2026-12-01 16:45:00
"""

from __future__ import annotations

from alembic import op

revision = '0016_outbox_chat'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('outboxmessage') as batch_op:
        batch_op.create_index('ix_outbox_chat', ['platform', 'chat_id', 'status'])


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage') as batch_op:
        batch_op.drop_index('ix_outbox_chat')
