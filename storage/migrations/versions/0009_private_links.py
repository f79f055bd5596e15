"""private links: one account per platform per person; an account's chat is its one-to-one chat

Revision ID: 0009_private_links
Revises: 0001
Create Date: 2026-12-01 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009_private_links'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    conn = op.get_bind()
    # A chat learned from a group was the group's: the user id is the one-to-one address on both platforms.
    conn.execute(sa.text("UPDATE account SET chat_id = user_id WHERE chat_id <> user_id"))
    # A second account on one platform (linked before this rule) becomes a guest of its own, so the
    # constraint can hold; the person keeps the account they used last.
    rows = conn.execute(sa.text(
        "SELECT id, person_id, platform, display_name FROM account ORDER BY person_id, platform, last_seen_at DESC, id DESC"
    )).all()
    seen: set[tuple[int, str]] = set()
    for account_id, person_id, platform, display_name in rows:
        if (person_id, platform) not in seen:
            seen.add((person_id, platform))
            continue
        lang = conn.execute(sa.text("SELECT lang FROM person WHERE id = :p"), {"p": person_id}).scalar_one()
        new_id = conn.execute(sa.text(
            "INSERT INTO person (name, role, position, lang, created_at) "
            "VALUES (:name, 'guest', '', :lang, CURRENT_TIMESTAMP) RETURNING id"),
            {"name": display_name, "lang": lang}).scalar_one()
        conn.execute(sa.text("UPDATE account SET person_id = :new WHERE id = :a"), {"new": new_id, "a": account_id})
    op.create_index('ix_account_person_platform', 'account', ['person_id', 'platform'], unique=True)


def downgrade() -> None:
    op.drop_index('ix_account_person_platform', table_name='account')
