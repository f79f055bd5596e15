"""menus: which menu each chat account was last given (NULL: due to be linked)

Revision ID: 0014_menus
Revises: 0001
Create Date: 2026-12-01 14:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0014_menus'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('account') as batch_op:
        batch_op.add_column(sa.Column('menu', sa.String(), nullable=True))
        batch_op.create_index('ix_account_menu', ['menu'])
    # Thai-speaking guests already see the default menu; everyone else is linked at the next start-up.
    op.execute("UPDATE account SET menu = 'guest-th' WHERE person_id IN "
               "(SELECT id FROM person WHERE role = 'guest' AND lang = 'th')")


def downgrade() -> None:
    with op.batch_alter_table('account') as batch_op:
        batch_op.drop_index('ix_account_menu')
        batch_op.drop_column('menu')
