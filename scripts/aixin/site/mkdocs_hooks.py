"""MkDocs hooks for the aixin site.

- Every build: inline SVG icons lose their `xmlns="http://www.w3.org/…"` attribute (HTML5 needs
  none), so that the only `http` strings left in a page are ones a reviewer must look at.
- With the repository's mkdocs.yml (`extra.aixin_regenerate: true`), i.e. `mkdocs serve` or
  `mkdocs build` in the repository: the city pages are regenerated from records/ into
  docs/generated/ before each build, rewriting only files that changed, and that folder becomes
  the docs folder. `watch:` in mkdocs.yml covers records/ and schemas/, so editing a record
  reloads the page.
- Every build, unless switched off: the shortcuts of `fastpath` (pure-HTML pages without Markdown,
  search parsing only the indexed part, the nav once per folder, the lightbox tags from main.html).
"""

from __future__ import annotations

import re
from pathlib import Path

from aixin.site import preview
from aixin.site.audience import CITY_AUDIENCE
from aixin.site.build import generate, quiet_environment
from aixin.site.fastpath import on_env, on_page_context, on_page_markdown  # noqa: F401 (MkDocs reads on_* names)

quiet_environment()
_SVG_NAMESPACE = re.compile(r' xmlns(?::[a-z]+)?="http://www\.w3\.org/[^"]*"')


def on_config(config):
    if not config.extra.get("aixin_regenerate"):
        return config
    root = Path(config.config_file_path).resolve().parent
    docs = root / "docs" / "generated"
    state = preview.begin(docs)  # `mkdocs serve --dirty`: only what changed (site.preview)
    generated = generate(root, CITY_AUDIENCE, docs, fresh=False, preview=state)
    state.settle(docs, generated, config.config_file_path)
    config.docs_dir = str(docs)
    config.nav = generated.nav
    config.extra["aixin_stamp"] = generated.stamp
    return config


def on_post_page(output, page, config):
    return _SVG_NAMESPACE.sub("", output)


def on_post_template(output_content, template_name, config):
    return _SVG_NAMESPACE.sub("", output_content)
