"""Draw the integration's brand images: a plain padlock glyph (not LOQED's logo).

Run: .venv/bin/python scripts/make_icon.py
Writes custom_components/loqed_web/brand/icon.png (256x256), icon@2x.png (512x512), and the
landscape logo.png (128 px high) and logo@2x.png (256 px high): the glyph beside the integration's
name. All are trimmed (the drawing reaches the edges) and interlaced, as Home Assistant's brand
images should be.
"""

from pathlib import Path

import png  # pypng: Pillow cannot write interlaced PNGs
from PIL import Image, ImageDraw, ImageFont

BRAND = Path(__file__).resolve().parent.parent / "custom_components/loqed_web/brand"
SCALE = 4  # draw large, then shrink, for smooth edges
BLUE = (33, 97, 140, 255)
WHITE = (255, 255, 255, 255)
WORDMARK = "LOQED Web"


def draw(size: int) -> Image.Image:
    """Return the icon at `size` pixels square, drawn on a 256-unit grid."""
    unit = size * SCALE / 256
    big = round(size * SCALE)
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)

    def box(*coords: float) -> tuple[float, ...]:
        return tuple(c * unit for c in coords)

    pen.rounded_rectangle(box(0, 0, 256, 256), radius=52 * unit, fill=BLUE)
    pen.arc(box(76, 34, 180, 148), start=180, end=360, fill=WHITE, width=round(21 * unit))
    pen.line(box(86.5, 91, 86.5, 118), fill=WHITE, width=round(21 * unit))
    pen.line(box(169.5, 91, 169.5, 118), fill=WHITE, width=round(21 * unit))
    pen.rounded_rectangle(box(54, 110, 202, 220), radius=17 * unit, fill=WHITE)
    pen.ellipse(box(113, 140, 143, 170), fill=BLUE)
    pen.rectangle(box(121.5, 162, 134.5, 196), fill=BLUE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def draw_logo(height: int) -> Image.Image:
    """Return the logo: the icon, then "LOQED Web" in the icon's blue, `height` pixels high."""
    font = ImageFont.load_default(size=round(height * 0.56))
    gap = round(height * 0.18)
    text_box = font.getbbox(WORDMARK)
    canvas = Image.new("RGBA", (height + gap + text_box[2], height), (0, 0, 0, 0))
    canvas.paste(draw(height), (0, 0))
    ImageDraw.Draw(canvas).text(
        (height + gap, (height - text_box[3] - text_box[1]) / 2), WORDMARK, font=font, fill=BLUE
    )
    return canvas.crop(canvas.getbbox())


def save_interlaced(image: Image.Image, target: Path) -> None:
    """Write `image` as an interlaced (Adam7) RGBA PNG."""
    rows = [list(image.crop((0, y, image.width, y + 1)).tobytes()) for y in range(image.height)]
    writer = png.Writer(image.width, image.height, greyscale=False, alpha=True, interlace=True, compression=9)
    with target.open("wb") as file:
        writer.write(file, rows)


if __name__ == "__main__":
    BRAND.mkdir(parents=True, exist_ok=True)
    for name, size in (("icon.png", 256), ("icon@2x.png", 512)):
        save_interlaced(draw(size), BRAND / name)
        print(BRAND / name)
    for name, height in (("logo.png", 128), ("logo@2x.png", 256)):
        save_interlaced(draw_logo(height), BRAND / name)
        print(BRAND / name)
