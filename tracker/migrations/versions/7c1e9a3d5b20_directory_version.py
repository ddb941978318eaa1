"""directory version: a counter on establishment raised by triggers on people, wings, schemes

Revision ID: 7c1e9a3d5b20
Revises: 484f617e48aa
Create Date: 2026-11-26 19:50:00

A submission reads the wing named, the staff to tell and who holds the scheme posts. Each web
process now keeps that directory in memory per establishment (tracker/services/directory.py)
and trusts it only while establishment.directory_version is unchanged. Triggers, not
application code, raise the counter, so a change made by any process, the CLI or plain SQL
is seen by every process on its next request.
"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '7c1e9a3d5b20'
down_revision = '484f617e48aa'
branch_labels = None
depends_on = None

BUMP = "UPDATE establishment SET directory_version = directory_version + 1 WHERE id = {}"
# What a directory holds of a user: changes to other columns (secrets, names) leave it valid.
USER_COLUMNS = "role, active, status, wing_id, establishment_id, username"
# user_scheme rows carry no establishment: it is the user's.
VIA_USER = "(SELECT establishment_id FROM user_account WHERE id = {}.user_id)"

PG_FUNCTION = """
CREATE OR REPLACE FUNCTION tracker_bump_directory() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'user_scheme' THEN
        UPDATE establishment SET directory_version = directory_version + 1
        WHERE id IN (SELECT establishment_id FROM user_account
                     WHERE id IN (NEW.user_id, OLD.user_id));
    ELSE
        UPDATE establishment SET directory_version = directory_version + 1
        WHERE id IN (NEW.establishment_id, OLD.establishment_id);
    END IF;
    RETURN NULL;
END $$;
"""
# (table, events) for PostgreSQL; NEW is NULL on DELETE and OLD on INSERT, so IN (...) works.
PG_TRIGGERS = (
    ("user_account", f"INSERT OR DELETE OR UPDATE OF {USER_COLUMNS}"),
    ("wing", "INSERT OR UPDATE OR DELETE"),
    ("scheme", "INSERT OR UPDATE OR DELETE"),
    ("user_scheme", "INSERT OR UPDATE OR DELETE"),
)


def _sqlite_triggers() -> list[tuple[str, str]]:
    out = []
    for table in ("user_account", "wing", "scheme"):
        update_of = f"UPDATE OF {USER_COLUMNS}" if table == "user_account" else "UPDATE"
        out += [
            (f"trk_dir_{table}_ins", f"AFTER INSERT ON {table} BEGIN "
             f"{BUMP.format('NEW.establishment_id')}; END"),
            (f"trk_dir_{table}_upd", f"AFTER {update_of} ON {table} BEGIN "
             f"{BUMP.format('NEW.establishment_id')}; "
             f"{BUMP.format('OLD.establishment_id')}; END"),
            (f"trk_dir_{table}_del", f"AFTER DELETE ON {table} BEGIN "
             f"{BUMP.format('OLD.establishment_id')}; END"),
        ]
    out += [
        ("trk_dir_user_scheme_ins", "AFTER INSERT ON user_scheme BEGIN "
         f"{BUMP.format(VIA_USER.format('NEW'))}; END"),
        ("trk_dir_user_scheme_upd", "AFTER UPDATE ON user_scheme BEGIN "
         f"{BUMP.format(VIA_USER.format('NEW'))}; {BUMP.format(VIA_USER.format('OLD'))}; END"),
        ("trk_dir_user_scheme_del", "AFTER DELETE ON user_scheme BEGIN "
         f"{BUMP.format(VIA_USER.format('OLD'))}; END"),
    ]
    return out


def upgrade():
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('directory_version', sa.Integer(), server_default='0',
                                      nullable=False))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute(PG_FUNCTION)
        for table, events in PG_TRIGGERS:
            op.execute(f"CREATE TRIGGER trk_dir_{table} AFTER {events} ON {table} "
                       "FOR EACH ROW EXECUTE FUNCTION tracker_bump_directory()")
    else:
        for name, body in _sqlite_triggers():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for table, _ in PG_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS trk_dir_{table} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS tracker_bump_directory()")
    else:
        for name, _ in _sqlite_triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table('establishment', schema=None) as batch_op:
        batch_op.drop_column('directory_version')
