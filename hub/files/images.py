"""Photos: checked by decoding, and stripped of where they were taken unless the reporter shares it.

A phone writes the GPS position into a photo's EXIF (and sometimes its XMP);
a reporter who did not choose to share their location must not give away
their home with a photo of the pothole in front of it. Unless the location
is shared, the photo is written again without the GPS block and without XMP
(JPEG keeps its quantisation tables, so it loses no quality worth seeing);
the rest of the EXIF (orientation, time) stays.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image, UnidentifiedImageError

from hub.files.kinds import JPEG, PNG, WEBP, FileKind, NotAccepted

GPS_IFD = 0x8825
MAX_PIXELS = 50_000_000  # a larger image is refused, not decoded (decompression bombs)


def check_image(data: bytes, kind: FileKind) -> None:
    """Raise :class:`NotAccepted` unless ``data`` decodes as the photo its first bytes promise."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                if image.width * image.height > MAX_PIXELS:
                    raise NotAccepted(f"the photo is {image.width}x{image.height} pixels; at most "
                                      f"{MAX_PIXELS // 1_000_000} megapixels are taken")
                if image.format != {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP"}[kind]:
                    raise NotAccepted(f"it starts like {kind.extension.upper()} but decodes as {image.format}")
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError,
            Image.DecompressionBombWarning) as exc:
        if isinstance(exc, NotAccepted):
            raise
        raise NotAccepted(f"it is not a readable {kind.extension.upper()} photo ({exc})") from None


def has_location(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as image:
        return bool(image.getexif().get_ifd(GPS_IFD)) or "xmp" in image.info or "XML:com.adobe.xmp" in image.info


def without_location(data: bytes, kind: FileKind) -> bytes:
    """``data`` with no GPS EXIF and no XMP; unchanged when it has neither."""
    if not has_location(data):
        return data
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        exif.pop(GPS_IFD, None)
        out = io.BytesIO()
        options: dict[str, object] = {"exif": exif.tobytes()}
        if icc := image.info.get("icc_profile"):
            options["icc_profile"] = icc
        if kind is JPEG:
            image.save(out, format="JPEG", quality="keep", **options)
        elif kind is PNG:
            image.save(out, format="PNG", **options)
        else:
            image.save(out, format="WEBP", quality=90, **options)
        return out.getvalue()
