"""An index of the pages that have children, for finding the hidden subtrees in one lookup.

``content_types.structure.public.hiding_pages`` looks for unpublished or expired pages with
children on every public request. Without an index that reads the whole page table (some 40 ms
for 40,000 pages on PostgreSQL); the pages with children are the street's structure and a few
proposals, so a partial index of them is tiny. Wagtail's ``Page`` is not ours to give a
``Meta.indexes``, hence plain SQL, which PostgreSQL and SQLite both accept.
"""

from django.db import migrations

INDEX = "structure_page_parents_idx"


class Migration(migrations.Migration):
    dependencies = [
        ("structure", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {INDEX} ON wagtailcore_page (path) WHERE numchild > 0",
            f"DROP INDEX {INDEX}",
        )
    ]
