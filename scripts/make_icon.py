"""Draw the integration's icon: a plain padlock glyph (not LOQED's logo).

Run: .venv/bin/python scripts/make_icon.py  (writes custom_components/loqed_web/brand/icon.png)
"""

from pathlib import Path

from PIL import Image, ImageDraw

SIZE = 256
SCALE = 4  # draw large, then shrink, for smooth edges
TARGET = Path(__file__).resolve().parent.parent / "custom_components/loqed_web/brand/icon.png"


def draw() -> Image.Image:
    """Return the 256x256 icon."""
    big = SIZE * SCALE
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    s = SCALE
    pen.rounded_rectangle((8 * s, 8 * s, 248 * s, 248 * s), radius=48 * s, fill=(33, 97, 140, 255))
    pen.arc((78 * s, 40 * s, 178 * s, 150 * s), start=180, end=360, fill=(255, 255, 255, 255), width=20 * s)
    pen.line((88 * s, 95 * s, 88 * s, 120 * s), fill=(255, 255, 255, 255), width=20 * s)
    pen.line((168 * s, 95 * s, 168 * s, 120 * s), fill=(255, 255, 255, 255), width=20 * s)
    pen.rounded_rectangle((58 * s, 112 * s, 198 * s, 216 * s), radius=16 * s, fill=(255, 255, 255, 255))
    pen.ellipse((114 * s, 140 * s, 142 * s, 168 * s), fill=(33, 97, 140, 255))
    pen.rectangle((122 * s, 160 * s, 134 * s, 192 * s), fill=(33, 97, 140, 255))
    return image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)


if __name__ == "__main__":
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    draw().save(TARGET, optimize=True)
    print(TARGET)
