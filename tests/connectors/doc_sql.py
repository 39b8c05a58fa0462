#!/usr/bin/env python3
"""Prints the ```sql block of a Markdown file whose first line is `-- name: NAME`, so a
test runs exactly the SQL a document shows (docs/warehouse.md).

    doc_sql.py DOC.md NAME
"""
import re
import sys

doc, name = sys.argv[1], sys.argv[2]
for block in re.findall(r"```sql\n(.*?)```", open(doc, encoding="utf-8").read(), re.S):
    if block.split("\n", 1)[0].strip() == "-- name: " + name:
        sys.stdout.write(block)
        sys.exit(0)
sys.exit("doc_sql.py: no ```sql block named %s in %s" % (name, doc))
