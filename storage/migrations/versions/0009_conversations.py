"""talk to a person: pseudonymous conversations between a person and staff (issue 19)

talk_case holds the sealed way back to the person (erased once a case is closed and its last
message sent) and the relay lease; talk_message holds each message with its delivery state to
the person and to the staff group; review_event gains talk_case_id for the audit log.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table('talk_case',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_key', sa.String(length=64), nullable=True),
    sa.Column('chat_sealed', sa.String(length=128), nullable=True),
    sa.Column('status', sa.Enum('open', 'closed', 'erased', name='talkstatus', native_enum=False, length=16),
              nullable=False),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=True),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_by', sa.String(length=64), nullable=True),
    sa.Column('topic_id', sa.BigInteger(), nullable=True),
    sa.Column('relay_owner', sa.String(length=64), nullable=True),
    sa.Column('relay_until', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talk_case'))
    )
    with op.batch_alter_table('talk_case', schema=None) as batch_op:
        batch_op.create_index('ix_talk_case_status_activity', ['status', 'last_activity_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_talk_case_topic_id'), ['topic_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_talk_case_user_key'), ['user_key'], unique=False)

    op.create_table('talk_message',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('author', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('source', sa.String(length=8), nullable=False),
    sa.Column('source_message_id', sa.BigInteger(), nullable=True),
    sa.Column('file_id', sa.String(length=256), nullable=True),
    sa.Column('file_data', sa.LargeBinary(), nullable=True),
    sa.Column('person_state', sa.String(length=8), nullable=True),
    sa.Column('group_state', sa.String(length=8), nullable=True),
    sa.Column('file_state', sa.String(length=8), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['talk_case.id'], name=op.f('fk_talk_message_case_id_talk_case'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talk_message'))
    )
    with op.batch_alter_table('talk_message', schema=None) as batch_op:
        batch_op.create_index('ix_talk_message_case', ['case_id', 'id'], unique=False)
        batch_op.create_index('ix_talk_message_file_state', ['file_state'], unique=False)
        batch_op.create_index('ix_talk_message_group_state', ['group_state'], unique=False)
        batch_op.create_index('ix_talk_message_person_state', ['person_state'], unique=False)

    with op.batch_alter_table('review_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('talk_case_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_review_event_talk_case_id'), ['talk_case_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('review_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_event_talk_case_id'))
        batch_op.drop_column('talk_case_id')

    with op.batch_alter_table('talk_message', schema=None) as batch_op:
        batch_op.drop_index('ix_talk_message_person_state')
        batch_op.drop_index('ix_talk_message_group_state')
        batch_op.drop_index('ix_talk_message_file_state')
        batch_op.drop_index('ix_talk_message_case')

    op.drop_table('talk_message')
    with op.batch_alter_table('talk_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talk_case_user_key'))
        batch_op.drop_index(batch_op.f('ix_talk_case_topic_id'))
        batch_op.drop_index('ix_talk_case_status_activity')

    op.drop_table('talk_case')
