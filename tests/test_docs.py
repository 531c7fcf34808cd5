"""The documentation holds: the README stays a front door, every relative link of the docs
resolves (to a file, and to a heading by GitHub's anchors), the parts written from the code
equal what tests/docgen.py writes now, and the README's and analytics' queries run on the
seed's output as shown."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

import docgen

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
PAGES = [README, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md")),
         ROOT / "tests" / "data" / "README.md"]
MAX_README_LINES = 200

FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
# [text](target "title") and ![alt](target); the text may run over lines, not over a blank one
LINK = re.compile(r"!?\[(?:[^\]\n]|\n(?!\n))*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$", re.M)


def prose(text: str) -> str:
    """The text without code and comments: a link inside those is no link."""
    return INLINE_CODE.sub("", FENCE.sub("", HTML_COMMENT.sub("", text)))


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: its text without markup, lower case, punctuation other
    than hyphens and underscores dropped, spaces as hyphens."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading)    # links: their text
    text = re.sub(r"<[^>]+>", "", text)                         # HTML tags
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(page: Path) -> set[str]:
    """A page's anchors, with GitHub's -1, -2 ... for a repeated heading."""
    seen: dict[str, int] = {}
    out = set()
    for _, heading in HEADING.findall(FENCE.sub("", page.read_text(encoding="utf-8"))):
        base = slug(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(page: Path) -> list[str]:
    text = prose(page.read_text(encoding="utf-8"))
    return LINK.findall(text) + REFERENCE.findall(text)


def is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I))


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page):
    broken = []
    for target in links(page):
        if is_external(target):
            continue
        path, _, anchor = target.partition("#")
        dest = (page.parent / path).resolve() if path else page
        if not dest.exists():
            broken.append(f"{target}: no such file")
        elif anchor and dest.suffix == ".md" and anchor not in anchors(dest):
            broken.append(f"{target}: no heading #{anchor} in {dest.relative_to(ROOT)}")
    assert not broken, f"{page.relative_to(ROOT)}: " + "; ".join(broken)


def test_the_checks_see_links_and_anchors(tmp_path):
    # the checker itself: it must find what a broken page breaks
    (tmp_path / "a.md").write_text(
        "# A page\n## Output: the `events` table\n## Output: the `events` table\n"
        "See [b](b.md#its-part), [the table](#output-the-events-table-1), [a\nlink](c.md),\n"
        "![pic](p.png) and `[not](a link)`.\n```\n[nor](this.md)\n```\n",
        encoding="utf-8")
    (tmp_path / "b.md").write_text("## Its part\n", encoding="utf-8")
    page = tmp_path / "a.md"
    assert links(page) == ["b.md#its-part", "#output-the-events-table-1", "c.md", "p.png"]
    assert anchors(page) == {"a-page", "output-the-events-table", "output-the-events-table-1"}
    assert slug("[taxonomy 2026.12.1, places 2026.12.1] - 2026-12-05") == \
        "taxonomy-2026121-places-2026121---2026-12-05"
    assert slug("_manifest.json") == "_manifestjson"


def test_the_readme_is_a_front_door():
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= MAX_README_LINES, \
        f"README.md has {len(text.splitlines())} lines: move detail into docs/"
    # the two commands come first, and every page of docs/ is linked from it
    assert text.index("make run") < text.index("make test") < text.index("## A look")
    linked = {Path(t.partition("#")[0]).name for t in links(README) if not is_external(t)}
    pages = {p.name for p in (ROOT / "docs").glob("*.md")}
    assert pages <= linked, f"docs not linked from the README: {sorted(pages - linked)}"


@pytest.mark.parametrize("page, name, write",
                         docgen.blocks(), ids=lambda x: x if isinstance(x, str) else "")
def test_the_generated_parts_are_current(page, name, write):
    text = page.read_text(encoding="utf-8")
    found = docgen.block(text, name)
    assert found is not None, f"{page.relative_to(ROOT)}: the block {name!r} is missing"
    assert found == write(), \
        f"{page.relative_to(ROOT)}: {name} differ from the code's; `make docs` rewrites them"


def test_every_column_of_every_table_has_a_meaning():
    for table, (schema, meanings) in docgen.TABLES.items():
        paths = [p for p, _ in docgen.column_paths(schema)]
        assert set(paths) == set(meanings), table
    # a column added to a schema without a meaning fails the codebook
    schema, meanings = docgen.TABLES["dead_letters"]
    docgen.TABLES["extra"] = (schema.append(schema.field("source").with_name("new")), meanings)
    try:
        with pytest.raises(KeyError, match="new"):
            docgen.columns_markdown("extra")
    finally:
        del docgen.TABLES["extra"]


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory):
    return docgen.seed_output(tmp_path_factory.mktemp("docs"))


def test_the_readme_query_shows_the_seed_output(seed_output):
    # what a newcomer runs after `make run`, on what `make run` writes, prints what the README
    # shows
    text = README.read_text(encoding="utf-8")
    shown = docgen.block(text, "seed query result")
    assert shown == docgen.result_markdown(seed_output)
    assert len(shown.splitlines()) - 2 <= 10   # a ten-line look, between its fences
    assert "es " in shown and "en " in shown   # both seed articles


def test_the_analytics_page_runs_on_the_seed_output(seed_output):
    text = (ROOT / "docs" / "analytics.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert blocks
    sql = re.findall(r"```sql\n(.*?)```", text, re.S)
    code = "\n".join(blocks) + "\nimport duckdb\n" + "".join(
        f"duckdb.sql({q!r}).fetchall()\n" for q in sql)
    done = subprocess.run([sys.executable, "-"], input=code, capture_output=True, text=True,
                          cwd=seed_output.parent, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Ureña" in done.stdout     # the DuckDB tables it shows hold the seed's places
