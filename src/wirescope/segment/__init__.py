"""Stage 2, segmenting plain text: title, body, byline, dateline, boilerplate, teasers of other
stories and captions, each as character spans of the page."""

from wirescope.segment.rules import segment_page

__all__ = ["segment_page"]
