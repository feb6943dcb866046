"""Property tests: whatever bytes a file holds, reading and checking it reports problems and
never crashes; a slug is always a slug; sanitized Markdown never carries a script."""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from palmares.content.markup import render_markdown
from palmares.content.read import Kind
from palmares.pipeline import build
from palmares.problems import Problem
from palmares.text import slugify
from tests.helpers import check_one, write_project

_KINDS = {
    Kind.COMMUNE: "communes/01/x.yaml",
    Kind.ACTION: "content/actions/2017/x.md",
    Kind.DOMAINE: "content/domaines/x.md",
    Kind.EDITION: "content/palmares/2017.md",
    Kind.PAGE: "content/pages/x.md",
}

# Pieces of YAML and Markdown an editor (or a fuzzer) puts together.
_PIECES = st.sampled_from(
    [
        "code: ", "nom: ", "departement: ", "labels:\n", "  - annee: ", "    arobases: ",
        "titre: ", "commune: ", "annee: ", "domaines: ", "date: ", "coordonnees: {lat: ",
        '"01004"', "01004", "2017", "2017-02-30", "6", "-1", ".nan", "[", "]", "{", "}", ",",
        "\n", "  ", "\t", ": ", "- ", "#", "&a ", "*a", "!!int ", "!!binary ", "|\n", ">\n",
        "---\n", "'", '"', "\\", "é", "\ufeff", "\r\n", "\x00", "null", "~", "true", "?",
    ]
)  # fmt: skip


def _never_raises(raw: bytes, kind: Kind) -> None:
    rel = _KINDS[kind]
    for text in (raw, b"---\n" + raw + b"\n---\nTexte.\n"):
        read, found = check_one(text, rel, kind)
        assert all(isinstance(p, Problem) and p.path == rel for p in found)
        if not read:
            assert found, "an unreadable file is reported"


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.sampled_from(list(_KINDS)))
def test_any_bytes_are_read_or_reported(raw: bytes, kind: Kind) -> None:
    _never_raises(raw, kind)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_PIECES, max_size=40), st.sampled_from(list(_KINDS)))
def test_any_yaml_like_text_is_read_or_reported(parts: list[str], kind: Kind) -> None:
    _never_raises("".join(parts).encode("utf-8"), kind)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200), st.sampled_from(list(_KINDS)))
def test_any_text_is_read_or_reported(text: str, kind: Kind) -> None:
    _never_raises(text.encode("utf-8", errors="surrogatepass"), kind)


# --- a whole build ---------------------------------------------------------------------

_HTML_PIECES = st.sampled_from(
    [
        "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[lien](javascript:alert(1))",
        "[l](data:text/html;base64,PHNjcmlwdD4=)", "<iframe src=//a.fr>", "<object data=x>",
        "<form action=x><input></form>", "<style>body{}</style>", "<a href='JaVaScRiPt:x'>a</a>",
        "<svg onload=alert(1)>", "<!--", "-->", "</script>", "<", ">", "&", '"', "'", "\n\n",
        "# Titre\n", "* ", "`", "```\n", "|a|b|\n|-|-|\n", "<a href=\"&#106;avascript:x\">y</a>",
        "<math><mi xlink:href=javascript:x>", "<base href=//evil>", "<meta http-equiv=refresh>",
        "<link rel=import href=x>", "<embed src=x>", "<a href=\"java\tscript:x\">t</a>",
        "![i](javascript:x)", "<div style=\"background:url(javascript:x)\">d</div>", "texte ",
        "<details open ontoggle=alert(1)>", "<a href=https://ok.fr>ok</a>",
    ]
)  # fmt: skip


def _assert_harmless(html: str) -> None:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup.find_all(True):
        assert tag.name not in {
            "script", "iframe", "object", "embed", "form", "style", "base", "meta", "link",
            "svg", "math", "input", "frame", "frameset",
        }, tag  # fmt: skip
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), (tag.name, name)
            assert name.lower() != "style", tag
            values = value if isinstance(value, list) else [value]
            for item in values:
                # As a browser reads a URL: C0 controls and spaces around it, tabs and
                # newlines anywhere, do not count.
                cleaned = re.sub(
                    r"[\t\n\r]", "", str(item).strip("\x00\x20" + "".join(map(chr, range(1, 32))))
                ).lower()
                assert not cleaned.startswith(("javascript:", "data:", "vbscript:")), (name, item)
        if tag.name == "a" and str(tag.get("href", "")).startswith(("http:", "https:")):
            assert {"noopener", "noreferrer"} <= set(tag.get("rel", [])), tag
    assert "<script" not in html.lower()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_HTML_PIECES, max_size=25))
@example(["<scr<script>ipt>alert(1)</script>"])
def test_sanitized_markdown_never_carries_a_script(parts: list[str]) -> None:
    _assert_harmless(render_markdown("".join(parts)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_sanitizer_on_any_text(text: str) -> None:
    _assert_harmless(render_markdown(text))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_HTML_PIECES | _PIECES, max_size=20), st.text(max_size=40))
def test_a_build_with_any_write_up_succeeds_or_reports(parts: list[str], title: str) -> None:
    root = Path(tempfile.mkdtemp(prefix="palmares-prop-"))
    try:
        body = "".join(parts)
        front = f'---\ntitre: "{title.translate({34: None, 92: None, 10: None, 13: None})}"\n'
        files: dict[str, str | bytes | None] = {
            "content/actions/2017/x.md": front + 'commune: "59378"\nannee: 2017\n'
            "domaines: [teletravail]\n---\n" + body,
            "content/pages/p.md": "---\ntitre: Page\n---\n" + body,
        }
        source = write_project(root / "projet", files)
        result = build(source, root / "site", workers=1)
        assert all(isinstance(p, Problem) for p in result.problems)
        if not result.errors:
            for page in (root / "site").rglob("*.html"):
                html = page.read_text(encoding="utf-8")
                assert "<script>alert" not in html and "onerror=" not in html
    finally:
        shutil.rmtree(root, ignore_errors=True)


# --- slugs ---------------------------------------------------------------------------------

_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@settings(max_examples=1000, deadline=None)
@given(st.text(max_size=400))
@example("")
@example("---")
@example("!!!")
@example("../../etc/passwd")
@example("\x00")
@example("Œ" * 300)
@example("Marcq-en-Barœul")
def test_a_slug_is_always_a_slug(text: str) -> None:
    slug = slugify(text)
    assert slug, text
    assert _SLUG.match(slug), (text, slug)
    assert len(slug) <= 80
