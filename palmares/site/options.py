"""What changes the output besides the content: the options of a build."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Options:
    """What changes the output besides the content."""

    base_url: str = ""
    """The site's public address (`https://…/`), or "" when unknown."""
    archive: bool = False
    """Every page links to the zip of the offline site (urls.ARCHIVE)."""
    drafts: bool = False
    """The editions under embargo are shown (content/embargo.py), marked as drafts."""
