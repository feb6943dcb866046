"""Links from a write-up to another file of the source: `[Méthode](../pages/methode.md)`,
`[Marcq-en-Barœul](../../communes/59/marcq-en-baroeul.yaml)`.

An editor links pages as files, from the file's own folder, the way GitHub shows them (and
MkDocs or Zola read them): the site's addresses are the engine's business. Validation keeps
each such link (`model.Link`) and checks that it names a file with a page
(content/validate.py), and one the public site shows (content/embargo.py); the page that
shows the write-up makes it a relative link from there (`resolve`), ending in `index.html`
like every link of the site.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

from palmares.content.markup import SOURCE_SCHEME
from palmares.content.model import Site, Written
from palmares.site import urls


def addresses(site: Site) -> dict[str, str]:
    """Each source file that has a page → that page's path."""
    found = {c.source: urls.commune(c) for c in site.communes}
    found |= {a.source: urls.action(a) for a in site.actions}
    found |= {d.source: urls.domaine(d) for d in site.domaines}
    found |= {e.text.source: urls.edition(e.annee) for e in site.editions if e.text.source}
    found |= {p.source: urls.page(p) for p in site.pages}
    return found


def shows(record: Written) -> list[str]:
    """The sources whose pages' addresses a record's links depend on: the collectivités'
    (their address is their name's, model.assign_slugs); a write-up's page is where its
    file is, whatever the file says."""
    return [link.target for link in record.links if link.target.startswith("communes/")]


_SOURCE_HREF = re.compile(rf' href="{SOURCE_SCHEME}([^"#]*)(#[^"]*)?"')


def resolve(body: str, path: str, pages: Mapping[str, str]) -> str:
    """A write-up's HTML as the page at `path` shows it: each link to a source file
    (content/markup.py, SOURCE_SCHEME) relative from that page to the file's page. Validation
    (content/validate.py) made sure each has one; one that has none keeps its text alone."""

    def link(match: re.Match[str]) -> str:
        target = pages.get(html.unescape(match.group(1)))
        if target is None:
            return ""
        return f' href="{html.escape(urls.link(path, target))}{match.group(2) or ""}"'

    return _SOURCE_HREF.sub(link, body)
