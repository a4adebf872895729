"""Stage 1, reading a page: sources to ``RawPage`` (readers), bytes to normalised text
(decoding), HTML to article text and segments (extract_html), and the page's language."""
