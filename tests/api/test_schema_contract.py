"""graphql/schema.graphql is the published contract: it must match the code in api/."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

CONTRACT = Path(__file__).resolve().parents[2] / "graphql" / "schema.graphql"


@pytest.mark.smoke
def test_the_committed_schema_matches_the_code(tmp_path: Path) -> None:
    generated = tmp_path / "schema.graphql"

    call_command("graphql_schema", out=str(generated), stdout=StringIO())

    assert generated.read_text() == CONTRACT.read_text(), (
        "graphql/schema.graphql 与 api/ 中的代码不一致：请运行 make graphql-schema 并提交结果。"
    )


def test_a_published_case_carries_its_anonymised_summary_and_nothing_of_its_reporter() -> None:
    """The contract's case type: no field for a reporter, title, place or description."""
    text = CONTRACT.read_text()
    block = text[text.index("type PublishedCase {") :]
    block = block[: block.index("}")]
    fields = {
        line.split(":")[0].strip()
        for line in block.splitlines()[1:]
        if ":" in line and not line.strip().startswith('"')
    }
    assert fields == {
        "id", "category", "categoryLabel", "summary", "scopeName", "closedAt", "publishedAt"
    }  # fmt: skip
    assert "reporter" not in text.lower()
