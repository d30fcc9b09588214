#!/usr/bin/env bash
# Italian is the first language: every message in the code must have an Italian translation.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cp -r locale "$tmp/locale.orig"
.venv/bin/python manage.py makemessages -l it --no-location --no-wrap --ignore '.venv/*' --ignore 'staticfiles/*' -v0
untranslated=$(msgattrib --untranslated --no-obsolete locale/it/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
fuzzy=$(msgattrib --only-fuzzy --no-obsolete locale/it/LC_MESSAGES/django.po | grep -c '^msgid ' || true)
changed=0
diff -rq "$tmp/locale.orig" locale >/dev/null || changed=1
if [ "$untranslated" -gt 0 ] || [ "$fuzzy" -gt 0 ]; then
  echo "locale/it/LC_MESSAGES/django.po: $untranslated untranslated and $fuzzy fuzzy messages:" >&2
  msgattrib --untranslated --no-obsolete locale/it/LC_MESSAGES/django.po | grep '^msgid ' | head -20 >&2
  exit 1
fi
[ $changed -eq 1 ] && echo "(makemessages updated the .po files; commit them)"
exit 0
