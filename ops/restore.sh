#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into the database named by DATABASE_URL
# (SQLite when unset). The target should be empty: a new database, migrated for JSON.
# Usage: ops/restore.sh FILE
set -euo pipefail
cd "$(dirname "$0")/.."
file=${1:?usage: ops/restore.sh FILE}
if [[ "$file" == *.dump ]]; then
  pg_restore --no-owner --no-privileges --exit-on-error --dbname="${DATABASE_URL:?set DATABASE_URL to the target PostgreSQL database}" "$file"
else
  .venv/bin/python manage.py migrate --noinput
  .venv/bin/python manage.py loaddata "$file"
fi
echo "Restored $file"
