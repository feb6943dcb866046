"""Minimal Pelican settings for the benchmark's equivalent site (bench/run.py).

Actions are articles, collectivités and every other page of ours are Pelican pages with a
template of their own. Pelican has no taxonomy for pages, so the templates look lists up
through `index_by`, a filter that builds each index once per run (the way a Pelican user
would avoid scanning every article on each of 2 000 pages).
"""

import json

AUTHOR = "Villes Internet"
SITENAME = "Palmarès Villes Internet"
SITEURL = ""
RELATIVE_URLS = True
PATH = "content"
ARTICLE_PATHS = ["actions"]
PAGE_PATHS = ["pages"]
STATIC_PATHS: list[str] = []
THEME = "theme"
TIMEZONE = "Europe/Paris"
DEFAULT_LANG = "fr"
DEFAULT_PAGINATION = False
DELETE_OUTPUT_DIRECTORY = False

# The benchmark measures rebuilds with Pelican's content cache, as its users run them.
LOAD_CONTENT_CACHE = True
CACHE_CONTENT = True
CACHE_PATH = "cache"

# Our site has neither feeds nor author, category, tag or archive pages.
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
ARCHIVES_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
CATEGORY_SAVE_AS = ""
TAGS_SAVE_AS = ""
TAG_SAVE_AS = ""

DIRECT_TEMPLATES = ["index", "az", "editions", "domaines", "territoires", "404"]
AZ_SAVE_AS = "collectivites/index.html"
EDITIONS_SAVE_AS = "palmares/index.html"
DOMAINES_SAVE_AS = "domaines/index.html"
TERRITOIRES_SAVE_AS = "territoires/index.html"
# Each action and page names its own URL and save_as in its metadata.

_INDEXES: dict[tuple[int, int, str], dict[str, list[object]]] = {}


def index_by(items, key, many=False):
    """{value of `key`: [items]} ("a, b" values split when `many`), built once per list."""
    token = (id(items), len(items), key)
    found = _INDEXES.get(token)
    if found is None:
        found = {}
        for item in items:
            value = getattr(item, key, None)
            if value is None:
                continue
            for v in value.split(",") if many else [value]:
                found.setdefault(v.strip(), []).append(item)
        _INDEXES[token] = found
    return found


JINJA_FILTERS = {"index_by": index_by, "fromjson": json.loads}
