"""inbox: fair handling across senders and a per-sender rate limit; projects: a trigram title index on SQLite

On SQLite, `project_search` is an FTS5 table (trigram tokenizer) of each project's Thai and English titles, kept
by triggers, so a keyword search reads the index instead of every title. PostgreSQL has pg_trgm on the Thai title
since 0004, and here gains it on the English title.
A later migration that rebuilds `project` on SQLite (batch mode) must create the triggers again.

Revision ID: 0010_fair_inbox
Revises: 0001
Depends on: 0004
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
depends_on = '0004'

OLD_STATUSES = ('pending', 'done', 'ignored', 'failed')
TITLE = "new.title_th || char(10) || new.title_en"
PROJECT_SEARCH = (
    # detail=none: the smallest index that still answers LIKE '%...%' (3 characters or more).
    "CREATE VIRTUAL TABLE project_search USING fts5(title, tokenize='trigram', detail='none')",
    f"CREATE TRIGGER project_search_insert AFTER INSERT ON project BEGIN "
    f"INSERT INTO project_search (rowid, title) VALUES (new.id, {TITLE}); END",
    f"CREATE TRIGGER project_search_update AFTER UPDATE OF title_th, title_en ON project BEGIN "
    f"UPDATE project_search SET title = {TITLE} WHERE rowid = new.id; END",
    "CREATE TRIGGER project_search_delete AFTER DELETE ON project BEGIN "
    "DELETE FROM project_search WHERE rowid = old.id; END",
    "INSERT INTO project_search (rowid, title) SELECT id, title_th || char(10) || title_en FROM project",
)


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
    if op.get_bind().dialect.name == 'sqlite':
        for statement in PROJECT_SEARCH:
            op.execute(statement)
    _english_title_index()


def _english_title_index() -> None:
    """Like 0004's Thai title index: pg_trgm GIN on PostgreSQL when it is there, else a plain index."""
    bind = op.get_bind()
    if bind.dialect.name == 'postgresql':
        try:
            with bind.begin_nested():
                bind.execute(sa.text("CREATE INDEX ix_project_title_en_trgm ON project "
                                     "USING gin (title_en public.gin_trgm_ops)"))
            return
        except sa.exc.DBAPIError:
            pass
    op.create_index('ix_project_title_en_trgm', 'project', ['title_en'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_project_title_en_trgm', table_name='project')
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('insert', 'update', 'delete'):
            op.execute(f'DROP TRIGGER project_search_{trigger}')
        op.execute('DROP TABLE project_search')
    op.drop_table('senderbucket')
    with op.batch_alter_table('inboxevent', schema=None) as batch_op:
        batch_op.drop_index('ix_inbox_sender')
        batch_op.drop_index('ix_inbox_fair')
        batch_op.create_index('ix_inbox_pending', ['status', 'id'], unique=False)
        batch_op.drop_column('turn')
        batch_op.drop_column('sender')
