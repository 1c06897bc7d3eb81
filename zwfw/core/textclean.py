"""What text may hold when it is stored, exported or shown (issue 11 points 11, 12).

Three classes of characters, each with its own treatment:

* refused — NUL and lone surrogates. PostgreSQL cannot store NUL in text, and no encoder
  can write a lone surrogate, so a request that carries one is answered 422 "含有非法字符"
  (zwfw.core.inputguard) instead of failing deep inside the database driver.
* removed — other control characters (C0 but tab, LF, CR; DEL; C1). They are invisible,
  and XML (xlsx, docx) cannot hold them: one such character in an item name broke the
  items export for everyone.
* removed — invisible format characters: zero-width spaces and joiners, the byte-order
  mark, word joiners and the bidirectional embeddings, overrides and isolates. A name such
  as "张\u200b三" or one with U+202E (right-to-left override) looks like another person's
  name on a page, a letter or a ledger.
"""

import re

# NUL and the surrogate halves (a str can hold one alone after "\ud800" in JSON).
REFUSED_RE = re.compile("[\x00\ud800-\udfff]")
# Control characters but \t \n \r, and the invisible format characters described above.
REMOVED_RE = re.compile(
    "[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff]"
)
MESSAGE = "含有非法字符（空字符或无效的Unicode代理字符），请删除后重试"


def has_refused(value: str) -> bool:
    """True when `value` holds NUL or a lone surrogate."""
    return REFUSED_RE.search(value) is not None


def clean_text(value: str) -> str:
    """`value` without the removed characters (refused ones are removed too, for callers
    that clean rather than refuse, such as exports)."""
    if value.isascii() and value.isprintable():
        return value  # the common case costs one scan
    value = REFUSED_RE.sub("", value)
    return REMOVED_RE.sub("", value)


def _never(key) -> bool:
    return False


def clean_data(value, keep=_never):
    """`value` (parsed JSON) with every string cleaned; the values of dict keys for which
    `keep(key)` is true (passwords) stay as typed."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_data(v, keep) for v in value]
    if isinstance(value, dict):
        return {
            clean_text(k) if isinstance(k, str) else k: v if keep(k) else clean_data(v, keep)
            for k, v in value.items()
        }
    return value


def find_refused(value, path: str = "") -> str | None:
    """The dotted path of the first string in `value` holding a refused character ("" for
    the top level), or None when there is none."""
    if isinstance(value, str):
        return path if has_refused(value) else None
    if isinstance(value, list):
        for i, v in enumerate(value):
            found = find_refused(v, f"{path}.{i}" if path else str(i))
            if found is not None:
                return found
    elif isinstance(value, dict):
        for k, v in value.items():
            name = f"{path}.{clean_text(str(k))}" if path else clean_text(str(k))
            if isinstance(k, str) and has_refused(k):
                return name
            found = find_refused(v, name)
            if found is not None:
                return found
    return None
