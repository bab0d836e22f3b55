#!/usr/bin/env bash
# Back up the registry's database to a file.
#   PostgreSQL (DATABASE_URL=postgres://...): pg_dump's custom format, restorable with ops/restore.sh.
#   SQLite (no DATABASE_URL): Django's dumpdata as JSON, restorable with ops/restore.sh.
# Usage: ops/backup.sh [FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=$(date -u +%Y%m%dT%H%M%SZ)
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  file=${1:-backups/registry-$stamp.dump}
  mkdir -p "$(dirname "$file")"
  pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$file"
else
  file=${1:-backups/registry-$stamp.json}
  mkdir -p "$(dirname "$file")"
  .venv/bin/python manage.py dumpdata --natural-foreign --natural-primary \
    --exclude contenttypes --exclude auth.permission --exclude sessions \
    --exclude admin.logentry --indent 0 --output "$file"
fi
echo "Backup written to $file"
