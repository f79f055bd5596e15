"""deadlines: a deleted window's id is never handed out again (SQLite AUTOINCREMENT)

An admin who deleted window #5 and then read "#5" on a new one could not tell them apart in the audit log or in
old reminders. PostgreSQL sequences never reuse an id, so only SQLite's table is rebuilt, with its submissions
set aside meanwhile (the rebuild drops the old table, which their foreign keys would refuse).

Revision ID: 0011_window_ids
Revises: 0005
Create Date: 2026-12-01 14:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.models

revision = '0011_window_ids'
down_revision = '0005'
branch_labels = None
depends_on = None


def _submission_table() -> None:
    op.create_table('submission',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('window_id', sa.Integer(), nullable=False),
    sa.Column('province_iso', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('submitted_at', storage.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by', sa.Integer(), nullable=True),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.ForeignKeyConstraint(['submitted_by'], ['person.id'], ),
    sa.ForeignKeyConstraint(['window_id'], ['submissionwindow.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('window_id', 'province_iso')
    )
    op.create_index(op.f('ix_submission_window_id'), 'submission', ['window_id'], unique=False)


def _rebuild(autoincrement: bool) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    kept = [dict(row._mapping) for row in bind.execute(sa.text("SELECT * FROM submission"))]
    op.drop_index(op.f('ix_submission_window_id'), table_name='submission')
    op.drop_table('submission')
    with op.batch_alter_table('submissionwindow', recreate='always',
                              table_kwargs={'sqlite_autoincrement': autoincrement}):
        pass
    _submission_table()
    if kept:
        bind.execute(sa.text("INSERT INTO submission (id, window_id, province_iso, submitted_at, submitted_by, "
                             "reference) VALUES (:id, :window_id, :province_iso, :submitted_at, :submitted_by, "
                             ":reference)"), kept)


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)
