"""Pinyin search keys of Chinese names: what cashiers and staff type to find goods and people."""

import re

from pypinyin import Style, lazy_pinyin

HAN = re.compile(r"[\u3400-\u9fff]")


def pinyin_key(text):
    """'可口可乐' -> 'kkkl kekoukele'; empty when the text has no Chinese characters."""
    if not text or not HAN.search(text):
        return ""
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="ignore")).lower()
    full = "".join(lazy_pinyin(text, errors="ignore")).lower()
    return f"{initials} {full}".replace("  ", " ").strip()
