"""What the search finds beyond a page's title and one-line summary.

Material's search plugin segments Chinese text with jieba when it builds the index, and the
search worker looks a query up among the index's words with a trailing wildcard only. jieba
often keeps a full name whole ("张紫涵"), so a given name alone ("紫涵") found only the girls
whose names jieba happened to split. So:

- a girl's and a mother's page carry her given name as a word of its own (`given_name`, in a
  hidden span of the summary);
- before the index is built, jieba is taught the names and given names of the people the site
  shows (`teach_segmenter`), so that neither is cut into pieces ("雨萱" would become 雨 / 萱);
- a pairing page carries its contact-log summaries (as restricted for the audience: exactly the
  text the page shows) in a hidden block, so that "月饼" finds the logs that mention it.

Teaching jieba changes how text is cut into words, never what text is indexed.
"""

from __future__ import annotations

import marshal
import re

from aixin.core.masking import COMPOUND_SURNAMES

from .audience import Restricted

_CHINESE_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def given_name(name: object) -> str | None:
    """The given name of a Chinese name of two to four characters (after a one- or
    two-character surname), or None for anything else (an example name, a foreign name)."""
    if not isinstance(name, str) or not _CHINESE_NAME.fullmatch(name.strip()):
        return None
    name = name.strip()
    surname = 2 if len(name) > 2 and name[:2] in COMPOUND_SURNAMES else 1
    return name[surname:]


def words(site: Restricted) -> list[str]:
    """Names of the people this site shows, and their given names of two or more characters:
    given names first, so that a full name is then weighed against them."""
    names = [i.data.get("name") for i in (*site.data.girls.values(), *site.data.mothers.values())]
    names += [v.name for v in site.visitors.values()]
    full = sorted({n.strip() for n in names if given_name(n)})
    given = sorted({g for g in map(given_name, full) if g and len(g) >= 2})
    return given + full


class _WholeFileMarshal:
    """What jieba sees as `marshal`: its 9 MB dictionary cache read in one piece. `marshal.load`
    on a file reads it object by object (0.85 s); `loads` of the same bytes gives the same
    dictionary three times faster. Writing the cache is jieba's own `dump`."""

    dump = staticmethod(marshal.dump)

    @staticmethod
    def load(handle):
        return marshal.loads(handle.read())


def teach_segmenter(found: list[str]) -> None:
    """Make jieba keep each word whole (for this process: the search plugin's jieba)."""
    try:
        import jieba
    except ImportError:  # the search then works without Chinese word segmentation
        return
    if getattr(jieba, "marshal", None) is marshal:  # teaching loads the dictionary first
        jieba.marshal = _WholeFileMarshal
    for word in found:
        jieba.add_word(word)
