"""Reading an uploaded logo: decode it with Pillow, refuse what is not a plain image, and
re-encode its pixels alone (no metadata), at most LOGO_MAX_SIDE pixels on its longest side.

Only the re-encoded bytes are ever stored or served, so whatever a file carried besides its
pixels (EXIF with a location, XMP, text chunks, a script or archive appended to make a
polyglot) never leaves the hub. The checks before decoding are there so that a hostile file
costs little: its size, its dimensions read from the header (a decompression bomb is refused
before a pixel is decoded) and the bytes after the image's end.
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageCms, ImageOps

LOGO_MAX_BYTES = 2 * 1024 * 1024  # "2 MB" in the form's help
LOGO_MAX_SIDE = 512
LOGO_MAX_PIXELS = 25_000_000  # per decoded frame: a 5000 × 5000 picture at most
# The hub reads no other image: Pillow's own bomb limit (a warning above, an error at twice)
# is lowered to ours for every decode, and the warning is turned into an error below.
Image.MAX_IMAGE_PIXELS = LOGO_MAX_PIXELS

FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "MPO": "image/jpeg", "WEBP": "image/webp"}
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}

WRONG_TYPE = _l(
    "The logo must be a PNG, JPEG or WebP image; this file is not one (SVG, GIF, PDF and "
    "other formats are not accepted)."
)
TOO_LARGE = _l("The logo is larger than 2 MB: make it smaller (512 pixels wide is enough).")
TOO_MANY_PIXELS = _l(
    "The logo has too many pixels (at most 25 million, e.g. 5000 × 5000): make it smaller."
)
DAMAGED = _l("The logo could not be read: the file is damaged or incomplete.")
TRAILING = _l(
    "The logo file has other data after the end of the image, so it was refused: save it "
    "again as a plain PNG, JPEG or WebP image."
)
EMPTY = _l("The logo file is empty.")


class LogoRefused(ValueError):
    """An upload that is not accepted as a logo; str() is the message for the form."""


@dataclass(frozen=True)
class CleanImage:
    """A logo as the hub stores it: re-encoded bytes and what describes them."""

    data: bytes
    mime_type: str
    width: int
    height: int

    @property
    def sha256(self) -> str:
        """The hex digest of the stored bytes (the logo's address and ETag)."""
        return hashlib.sha256(self.data).hexdigest()


def clean_logo(raw: bytes) -> CleanImage:
    """The upload re-encoded, or LogoRefused saying why it cannot be a logo."""
    if not raw:
        raise LogoRefused(str(EMPTY))
    if len(raw) > LOGO_MAX_BYTES:
        raise LogoRefused(str(TOO_LARGE))
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(raw), formats=["PNG", "JPEG", "WEBP"])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise LogoRefused(str(TOO_MANY_PIXELS)) from None
        except (OSError, SyntaxError, ValueError, struct.error):
            raise LogoRefused(str(WRONG_TYPE)) from None
        mime_type = FORMATS.get(image.format or "")
        if mime_type is None:
            raise LogoRefused(str(WRONG_TYPE))
        width, height = image.size  # from the header: nothing is decoded yet
        if width < 1 or height < 1 or width * height > LOGO_MAX_PIXELS:
            raise LogoRefused(str(TOO_MANY_PIXELS))
        # A camera's MPO holds more pictures after the first: its own structure, not a
        # polyglot's payload (and only the first picture's pixels are kept anyway).
        end = len(raw) if image.format == "MPO" else image_end(raw, mime_type)
        if end < 0 or end > len(raw):
            raise LogoRefused(str(DAMAGED))
        if end < len(raw):
            raise LogoRefused(str(TRAILING))
        try:
            image.seek(0)  # an animation: its first frame is the logo
            image.load()
            pixels = _plain_pixels(image, mime_type)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise LogoRefused(str(TOO_MANY_PIXELS)) from None
        except (OSError, SyntaxError, ValueError, struct.error, EOFError):
            raise LogoRefused(str(DAMAGED)) from None
    return _encode(pixels, mime_type)


def _plain_pixels(image: Image.Image, mime_type: str) -> Image.Image:
    """The first frame upright, in sRGB, as a new image that carries no metadata at all."""
    upright = ImageOps.exif_transpose(image) or image
    alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
    mode = "RGBA" if alpha and mime_type != "image/jpeg" else "RGB"
    profile = upright.info.get("icc_profile")
    converted = upright.convert("RGBA" if upright.mode in ("P", "PA") else upright.mode)
    if profile and converted.mode in ("RGB", "RGBA", "CMYK", "L"):
        # Keep the colours while dropping the profile: convert to sRGB first. A profile
        # Pillow cannot read is dropped as it is (colours may shift; the upload is not lost).
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
            target = ImageCms.createProfile("sRGB")
            out_mode = "RGBA" if converted.mode == "RGBA" else "RGB"
            in_srgb = ImageCms.profileToProfile(converted, source, target, outputMode=out_mode)
            converted = in_srgb or converted
        except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
            pass
    converted = converted.convert(mode)
    converted.thumbnail((LOGO_MAX_SIDE, LOGO_MAX_SIDE), Image.Resampling.LANCZOS)
    # A fresh image from the raw pixels: no info dict, so no EXIF, ICC, XMP or text chunk
    # can be written back by the encoder.
    return Image.frombytes(converted.mode, converted.size, converted.tobytes())


def _encode(pixels: Image.Image, mime_type: str) -> CleanImage:
    """Encode in the upload's own format (a photo stays a JPEG, a drawing a PNG)."""
    out = io.BytesIO()
    if mime_type == "image/png":
        pixels.save(out, "PNG", optimize=True)
    elif mime_type == "image/jpeg":
        pixels.save(out, "JPEG", quality=88, optimize=True)
    else:
        pixels.save(out, "WEBP", quality=88, method=4)
    return CleanImage(out.getvalue(), mime_type, pixels.width, pixels.height)


def image_end(raw: bytes, mime_type: str) -> int:
    """Where the image ends in `raw` by its own structure (len(raw) for a plain file)."""
    try:
        if mime_type == "image/png":
            return _png_end(raw)
        if mime_type == "image/jpeg":
            return _jpeg_end(raw)
        return _webp_end(raw)
    except (struct.error, IndexError):
        return -1  # cut short


def _png_end(raw: bytes) -> int:
    """After the IEND chunk."""
    at = 8
    while True:
        (length,) = struct.unpack(">I", raw[at : at + 4])
        kind = raw[at + 4 : at + 8]
        at += 12 + length
        if kind == b"IEND" or at > len(raw):
            return at


def _jpeg_end(raw: bytes) -> int:
    """After the EOI marker that closes the frame (markers inside entropy-coded data are
    escaped, and an EXIF thumbnail sits inside a segment of known length)."""
    at = 2
    while at < len(raw):
        if raw[at] != 0xFF:
            return -1
        marker = raw[at + 1]
        if marker == 0xD9:
            return at + 2
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 2
            continue
        (length,) = struct.unpack(">H", raw[at + 2 : at + 4])
        at += 2 + length
        if marker == 0xDA:  # start of scan: skip the entropy-coded data
            while at < len(raw) - 1:
                if raw[at] == 0xFF and raw[at + 1] != 0 and not 0xD0 <= raw[at + 1] <= 0xD7:
                    break
                at += 1
    return -1


def _webp_end(raw: bytes) -> int:
    """After the RIFF container, whose size is in its header."""
    (size,) = struct.unpack("<I", raw[4:8])
    return 8 + size + (size & 1)
