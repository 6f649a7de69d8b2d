#!/usr/bin/env python3
"""Make assets/fonts/NotoSansCJKsc-Regular-subset.otf (see README.md beside this file).

Needs Debian's fonts-noto-cjk (the source font) and fonttools (PyPI). Run from the
repository root:  python3 assets/fonts/make_subset.py
"""
import pathlib
import subprocess
import sys

SRC = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
FONT_NUMBER = 2  # index of "Noto Sans CJK SC" in the collection
OUT = pathlib.Path("assets/fonts/NotoSansCJKsc-Regular-subset.otf")
CHARS_OUT = pathlib.Path("assets/fonts/subset-chars.txt")

chars = set()
# GB2312 level 1 (一级汉字): rows 16-55, 3,755 characters, in pinyin order.
for hi in range(0xB0, 0xD8):
    for lo in range(0xA1, 0xFF):
        try:
            chars.add(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
level1 = len(chars)
# ASCII, Latin-1 punctuation and signs, general punctuation, arrows, maths, CJK
# punctuation, full-width forms.
ranges = [
    (0x20, 0x7E),
    (0xA0, 0xFF),
    (0x2010, 0x2027),
    (0x2030, 0x203B),
    (0x2190, 0x2193),
    (0x2212, 0x2212),
    (0x2264, 0x2265),
    (0x2160, 0x216B),
    (0x25A0, 0x25CF),
    (0x3000, 0x303F),
    (0xFF01, 0xFF5E),
]
for a, b in ranges:
    chars.update(chr(c) for c in range(a, b + 1))
# Province abbreviations and place-name characters outside level 1 (region display names).
chars.update("亳衢泸嵊黔滇闽赣皖沪渝琼冀晋蓟邯郸濮漯潢涪沭邳邢岚崂琅鄞婺缙浔禹儋邵珲瓯")
# Every non-ASCII character used by the chart labels and tier names.
for path in sorted(pathlib.Path("src").rglob("*.rs")):
    chars.update(c for c in path.read_text(encoding="utf-8") if ord(c) > 0x7F)
chars = sorted(c for c in chars if c.isprintable() or c == "\u3000")
CHARS_OUT.write_text("".join(chars) + "\n", encoding="utf-8")
print(f"{level1} GB2312 level-1 characters, {len(chars)} code points in all", file=sys.stderr)

subprocess.run(
    [
        sys.executable, "-m", "fontTools.subset", SRC,
        f"--font-number={FONT_NUMBER}",
        f"--text-file={CHARS_OUT}",
        f"--output-file={OUT}",
        "--layout-features=kern,palt,vert,locl",
        "--name-IDs=0,1,2,3,4,5,6,7,13,14",
        "--no-hinting",
    ],
    check=True,
)
print(f"{OUT}: {OUT.stat().st_size} bytes", file=sys.stderr)
