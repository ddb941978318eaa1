#!/usr/bin/env bash
# Backup and restore, proved: load the demo prison into a scratch database, pg_dump -Fc it,
# pg_restore into a second scratch database, compare every table's row count and the schema
# revision, check the restored copy opens as up to date, then drop both. Exit 1 on any mismatch.
#   bash bench/backup_restore_check.sh          (PostgreSQL on 127.0.0.1:5432 as postgres)
set -euo pipefail
cd "$(dirname "$0")/.."
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
SRC="backup_src_$$"
DST="backup_dst_$$"
WORK=$(mktemp -d)
cleanup() {
  dropdb --if-exists --force "$SRC" 2>/dev/null || true
  dropdb --if-exists --force "$DST" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
url() { echo "postgresql://$PGUSER@$PGHOST:$PGPORT/$1"; }

createdb "$SRC"
echo "== demo data into $SRC"
TRACKER_DATABASE_URL=$(url "$SRC") TRACKER_INSTANCE_PATH="$WORK" .venv/bin/tracker demo --no-serve > /dev/null

echo "== pg_dump -Fc"
pg_dump -Fc --no-owner -f "$WORK/tracker.dump" "$SRC"
ls -l "$WORK/tracker.dump" | awk '{print "   dump size:", $5, "bytes"}'

echo "== pg_restore into $DST"
createdb "$DST"
pg_restore --no-owner --exit-on-error -d "$DST" "$WORK/tracker.dump"

counts() {
  local db=$1
  for table in $(psql -At -d "$db" -c "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"); do
    echo "$table $(psql -At -d "$db" -c "SELECT count(*) FROM \"$table\"")"
  done
  echo "alembic_revision $(psql -At -d "$db" -c 'SELECT version_num FROM alembic_version')"
}
counts "$SRC" > "$WORK/src.txt"
counts "$DST" > "$WORK/dst.txt"
echo "== row counts (table source restored)"
join "$WORK/src.txt" "$WORK/dst.txt" | awk '{printf "   %-28s %8s %8s\n", $1, $2, $3}'
if ! diff -u "$WORK/src.txt" "$WORK/dst.txt"; then
  echo "FAIL: the restored database differs from the source"
  exit 1
fi
rows=$(awk '$1 != "alembic_revision" {s += $2} END {print s}' "$WORK/src.txt")
[ "$rows" -gt 0 ] || { echo "FAIL: the source held no rows: nothing was proved"; exit 1; }

echo "== the restored copy opens and is at the newest schema"
TRACKER_DATABASE_URL=$(url "$DST") TRACKER_INSTANCE_PATH="$WORK" .venv/bin/tracker init | tee "$WORK/init.txt"
grep -q "up to date" "$WORK/init.txt" || { echo "FAIL: restored database was not up to date"; exit 1; }
echo "OK: $rows rows in $(grep -vc alembic_revision "$WORK/src.txt") tables restored identically"
