"""Spreadsheets in: landlords, dwellings, households with members and leases from the CSV and
XLSX files programmes already keep.

upload (`services.import_upload`) → dry run of every row through the same services the pages
use, rolled back, with each row's outcome stored (`import_preview_execute`) → the operator
confirms → the same run for real, in one transaction (`import_apply_execute`): the file lands
whole or not at all. Large files run in the task queue (`tasks.py`), with their progress in a
small file the browser polls (`progress.py`), since the import's own transaction hides it
from the database until it ends.

`reader.py` turns a file into rows of text, `kinds.py` says what each kind's columns mean and
which service a row goes through.
"""
