"""PDFs from the site's own HTML and print CSS, rendered by WeasyPrint (Pango): `aixin card`, `aixin archive`.

One `PdfMaker` parses the site's `aixin.css` and sets up the fonts once, then renders any number
of documents with them (the archive makes one PDF per pairing). It fetches nothing but the
photos' web copies in the build's cache: no network, no other file, whatever a record's text says.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from aixin.core.errors import UsageError


def photo_cache(root: Path) -> Path:
    """Where the build keeps the photos' web copies (site.stage.web_photos), which PDFs embed."""
    return (root / ".aixin-cache" / "photos").resolve()


class PdfMaker:
    """Renders HTML documents to PDF bytes with the site's print CSS, parsed once."""

    def __init__(self, root: Path):
        from PIL import ImageFile

        lenient = ImageFile.LOAD_TRUNCATED_IMAGES
        try:
            import weasyprint
        except (ImportError, OSError) as exc:  # OSError: the Pango library is missing
            raise UsageError(
                f"生成 PDF 需要 WeasyPrint 及其依赖的 Pango 库，现在无法使用（{type(exc).__name__}）；"
                "请按 README 安装（pip install -e . ；Linux 上还需 apt-get install libpango-1.0-0 libpangoft2-1.0-0）"
            ) from None
        # Importing WeasyPrint makes Pillow accept truncated images in the whole process; the photo
        # checks (photos.inspection) must still call such a file undecodable. Its own images are our
        # web copies, whole.
        ImageFile.LOAD_TRUNCATED_IMAGES = lenient
        logging.getLogger("weasyprint").setLevel(logging.ERROR)  # its notes on CSS it skips are not the user's business
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        css = Path(str(resources.files("aixin.site") / "assets" / "aixin.css"))
        photos = photo_cache(root).as_uri() + "/"

        class PhotosOnly(weasyprint.urls.URLFetcher):
            """Nothing is fetched but the photos' web copies: no network, no other file."""

            def fetch(self, url, headers=None):
                if not url.startswith(photos):
                    raise ValueError("not a photo of the card")
                return super().fetch(url, headers)

        from weasyprint.text.fonts import FontConfiguration

        self._weasyprint = weasyprint
        self._root = str(root)
        self._fetcher = PhotosOnly(allowed_protocols=("file",))
        # Shared by every document: finding the fonts again for each PDF costs a quarter of its time.
        self._fonts = FontConfiguration()
        self._css = weasyprint.CSS(filename=str(css), font_config=self._fonts)

    def pdf(self, html: str) -> bytes:
        document = self._weasyprint.HTML(string=html, base_url=self._root, url_fetcher=self._fetcher)
        return document.write_pdf(stylesheets=[self._css], font_config=self._fonts)
