"""Stage 2, segmenting plain text: title, body, byline, dateline, boilerplate, teasers of other
stories and captions, each as character spans of the page.

The page is read line by line (a scraper's flattened page puts one paragraph, menu item or notice
per line). A cascade, cheap steps first, one module each:

1. ``lines``: lines with their offsets (blank lines dropped), and each line's role from its own
   text: boilerplate (pattern file), byline, caption, "Read more" marker, prose paragraph, short
   sentence or short fragment.
2. ``core``: core candidates, the runs of lines with the most prose weight: prose lines add their
   word count, short fragments (menus, link lists) subtract, boilerplate lines break the run.
3. ``body``: each candidate is grown into a body and the best body wins (prose words x coherence
   of its paragraphs x share of the page headline it mentions). Cohesion with the core
   (``cohesion``) decides the edges: unrelated prose is peeled off as a teaser, prose beyond an
   interruption ("Advertisement") is attached back when cohesive enough.
4. ``title``: the headline-shaped line just above the body that best matches it, or a headline
   among its first lines (``headlines`` holds the shape tests).
5. ``labels``: labels become segments; a dateline at the start of the body and an agency tag at
   its end are split off.

Pure Python, deterministic and independent of spaCy: segmentation decides what gets parsed.
Measured in ``bench/segmentation.py``.
"""

from wirescope.segment.labels import segment_page

__all__ = ["segment_page"]
