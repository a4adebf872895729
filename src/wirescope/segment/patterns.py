"""Regular expressions more than one segmentation step reads: words, datelines, agency tags,
authors' sign-offs and quotation openings."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W\d_][\w'’-]*")
DATELINE = re.compile(
    r"""^(?:[A-Z][A-Za-z.'’]*(?:[ -][A-Z][A-Za-z.'’]*){0,3}          # city, capitalised words
          (?:,\s*[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*)?)?            # , state or country
          (?:,\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?        # , March 3
          \s*)?
        \((?:[A-Z][A-Za-z.]*(?:\s[A-Z][A-Za-z.]*){0,3})\)\s*[-–—―]+\s*   # (Reuters) -
      |^[A-Z][A-Z.'’]+(?:[ -][A-Z][A-Z.'’]+){0,3}(?:,\s*[A-Z][A-Za-z.]*){0,2}\s*[-–—―]+\s+""",
    re.VERBOSE,
)
# An agency tag closing the last paragraph: "... on Hamas's terms. (lLKHA)".
AGENCY_TAG = re.compile(r"""(?<=[.!?"”’])\s+(\((?=[^)]*[A-Z][^)]*[A-Z])[A-Za-z/]{2,10}\))\s*$""")
# An author's sign-off closing an article: "Follow Jane Roe on Twitter @jroe." / "Reach him at ...".
SIGNOFF = re.compile(
    r"^(?:follow\s+(?!us\b)[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4}\s+on\s+"
    r"(?:twitter|x|facebook|instagram|threads|bluesky)\b"
    r"|(?:you can )?(?:reach|contact|email|e-mail)\s+(?:him|her|them|the (?:author|writer|reporter))"
    r"\s+(?:at|on|via)\b)",
    re.IGNORECASE)
QUOTE_START = re.compile(r"^[\"“‘']")
