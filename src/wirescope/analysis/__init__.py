"""Stage 3, analysing the one parse of a page: entities, actor codes, quotes, events, framing.

Every analyzer is a pure function of the parsed spaCy ``Doc`` (see ``nlp``) and the records of the
analyzers before it; none parses again and none writes to storage.
"""
