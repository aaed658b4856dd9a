"""MkDocs hooks of the preview (`mkdocs serve --dirty` in the repository; see `preview.py`).

Listed in the repository's mkdocs.yml only: `aixin build` is a full build and never loads them.
MkDocs executes this file anew on every rebuild; the state lives in `aixin.site.preview`.
"""

from __future__ import annotations

import contextlib

from mkdocs.plugins import event_priority

from aixin.site import preview


def on_serve(server, config, builder):
    # docs/generated is written by the build itself, from the watched records/: watching it too
    # made every change build twice.
    if config.extra.get("aixin_regenerate"):
        with contextlib.suppress(KeyError):  # not watched after all
            server.unwatch(config.docs_dir)
    return server


def on_pre_build(config):
    preview.start_build(config)


@event_priority(-100)  # after every other plugin: the files are final
def on_env(env, config, files):
    preview.remember_order(config, files)
    return env


@event_priority(-100)  # after the search plugin indexed the page
def on_page_context(context, page, config, nav):
    preview.take_entries(config, page)
    return context


@event_priority(100)  # before the search plugin writes its index
def on_post_build(config):
    preview.merge_search_index(config)
