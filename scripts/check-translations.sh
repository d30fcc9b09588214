#!/usr/bin/env bash
# Italian is the first language: every message in the code must have an Italian translation.
# Each app keeps its own catalogue (<app>/locale/it/LC_MESSAGES/django.po); the project-wide
# one (locale/) holds config/, templates/ and common/. This regenerates them all from the code
# and fails if any message lacks an Italian translation, or if two catalogues translate the same
# message differently (they share one namespace at run time: only one translation would show).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
status=0
apps=(housing tenancies fund reporting)
catalogues=()
for dir in . "${apps[@]}"; do
  ignores=(--ignore '.venv/*' --ignore 'staticfiles/*' --ignore 'var/*')
  if [ "$dir" = . ]; then
    for app in "${apps[@]}"; do ignores+=(--ignore "$app/*"); done
  fi
  po="$dir/locale/it/LC_MESSAGES/django.po"
  mkdir -p "$dir/locale"
  (cd "$dir" && "$root/.venv/bin/django-admin" makemessages -l it --no-location --no-wrap \
     --no-obsolete "${ignores[@]}" -v0 --settings=config.settings.test --pythonpath="$root")
  [ -f "$po" ] || continue
  catalogues+=("$po")
  # makemessages marks a new catalogue's header fuzzy; the header is ours, not a translation.
  sed -i '1,8{/^#, fuzzy$/d}; s/^"Language: \\n"$/"Language: it\\n"/' "$po"
  untranslated=$(msgattrib --untranslated --no-obsolete "$po" | grep -c '^msgid ' || true)
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$po" | grep -c '^msgid ' || true)
  # The header entry counts as one "untranslated" msgid when it is fuzzy/empty; ignore it.
  if [ "$untranslated" -gt 1 ] || [ "$fuzzy" -gt 0 ]; then
    echo "$po: untranslated or fuzzy Italian messages:" >&2
    # `|| true`: with only fuzzy entries grep finds no untranslated one, and pipefail would end
    # the script before the other catalogues are checked.
    { msgattrib --untranslated --no-obsolete "$po"; msgattrib --only-fuzzy --no-obsolete "$po"; } |
      grep -E '^(msgctxt|msgid) ' | grep -v '^msgid ""$' | head -40 >&2 || true
    status=1
  fi
done
"$root/.venv/bin/python" scripts/check_catalogue_conflicts.py "${catalogues[@]}" || status=1
exit $status
