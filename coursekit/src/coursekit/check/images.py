"""Whether an image file a deck shows is whole: what a browser could draw.

A 0-byte or cut-short file (a failed download, a full disk, an LFS pointer
committed in place of the image) exists and has the right name, so only
decoding it tells. Raster images are decoded by Pillow, the imaging library
browsers' formats are best covered by in Python (PNG, JPEG, GIF, WebP, AVIF,
with each format's own integrity checks); SVG is XML and is parsed as such.
"""

from __future__ import annotations

import warnings
from pathlib import Path
from xml.etree import ElementTree

from PIL import Image, UnidentifiedImageError

_SVG = "{http://www.w3.org/2000/svg}svg"
_BROWSER_RASTER_FORMATS = frozenset(
    {".png", ".apng", ".jpg", ".jpeg", ".jfif", ".pjpeg", ".pjp", ".gif"}
    | {".webp", ".avif", ".bmp", ".ico"}
)
"""What browsers draw in an `<img>` besides SVG; Pillow decodes them all."""


def image_defect(path: Path) -> str | None:
    """Why the image file at `path` cannot be shown, or None if it can.

    Files whose extension is not an image format browsers show are not judged.
    """
    suffix = path.suffix.lower()
    if suffix != ".svg" and suffix not in _BROWSER_RASTER_FORMATS:
        return None
    if path.stat().st_size == 0:
        return "the file is empty"
    return _svg_defect(path) if suffix == ".svg" else _raster_defect(path)


def _raster_defect(path: Path) -> str | None:
    try:
        # verify() checks what a format records about itself (PNG's chunk
        # checksums); it leaves the image unusable, so it is opened again
        # and decoded, which finds data that ends early.
        with Image.open(path) as image:
            image.verify()
        with Image.open(path) as image, warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            # JPEG decodes at 1/8 scale, which still reads every byte.
            image.draft(image.mode, (image.width // 8, image.height // 8))
            for frame in range(getattr(image, "n_frames", 1)):
                image.seek(frame)
                image.load()
    except UnidentifiedImageError:
        return "not an image Pillow recognizes"
    except Image.DecompressionBombError as error:
        return str(error)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        return str(error) or type(error).__name__
    return None


def _svg_defect(path: Path) -> str | None:
    try:
        root = ElementTree.parse(path).getroot()
    except ElementTree.ParseError as error:
        line, column = error.position
        return f"line {line}, column {column + 1}: {_xml_reason(error)}"
    if root.tag != _SVG:
        return f"its root element is <{root.tag}>, not <svg> in the SVG namespace"
    return None


def _xml_reason(error: ElementTree.ParseError) -> str:
    return str(error).split(":", 1)[0]
