"""Generated hostile pages for the fuzz test (tests/test_fuzz.py) and its longer run (bench/fuzz.py).

A page is made of pieces, each chosen by hypothesis: ordinary sentences written for the project,
any Unicode text, random bytes, runs of quote marks and other punctuation, deep or wide HTML, very
long lines and control characters. Hypothesis shrinks a failing page to its smallest form.
"""

from __future__ import annotations

from hypothesis import strategies as st

SENTENCES = (
    "The Calderon harbour council met on Monday and agreed to a new ferry budget.",
    '"We will not accept this offer," union chair Marta Ilves told reporters.',
    "Officials in Brennmoor said the talks would resume next week, according to a statement.",
    "The opposition accused the mayor of ignoring the flood warnings.",
)
QUOTE_MARKS = ('"', "'", "\u201c", "\u201d", "\u2018", "\u2019", "\u00ab", "\u00bb", "(", ")", ".", "!", "?", ",")
TAGS = ("div", "p", "b", "i", "span", "a", "section", "article", "table", "td", "li", "ul")


@st.composite
def quote_runs(draw: st.DrawFn) -> str:
    marks = draw(st.lists(st.sampled_from(QUOTE_MARKS), min_size=1, max_size=4))
    return "".join(marks) * draw(st.integers(1, 6000))


@st.composite
def nested_html(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    depth = draw(st.integers(1, 400))
    inner = draw(st.sampled_from(SENTENCES))
    return f"<{tag}>" * depth + inner + f"</{tag}>" * draw(st.integers(0, depth))


@st.composite
def wide_html(draw: st.DrawFn) -> str:
    tag = draw(st.sampled_from(TAGS))
    return f"<{tag}>a</{tag}>" * draw(st.integers(1, 3000))


@st.composite
def nested_quotes(draw: st.DrawFn) -> str:
    depth = draw(st.integers(1, 1500))
    opening, closing = draw(st.sampled_from((("\u201c", "\u201d"), ('"', '"'), ("\u2018", "\u2019"))))
    return f"{opening}a " * depth + "end" + f"{closing} " * draw(st.integers(0, depth))


def pieces() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(SENTENCES),
        st.text(max_size=300),
        st.binary(max_size=300).map(lambda b: b.decode("latin-1")),
        quote_runs(),
        nested_html(),
        wide_html(),
        nested_quotes(),
        st.integers(1, 30_000).map(lambda n: "x" * n),  # a very long line without spaces
        st.text(alphabet=st.characters(max_codepoint=0x9F, categories=("Cc",)), max_size=50),
    )


@st.composite
def pages(draw: st.DrawFn) -> bytes | str:
    """One page: a title line and pieces, as text, as HTML, or as raw bytes."""
    body = draw(st.lists(pieces(), min_size=1, max_size=6))
    text = "A title for the page\n\n" + draw(st.sampled_from(("\n\n", " ", ""))).join(body)
    shape = draw(st.sampled_from(("text", "html", "bytes")))
    if shape == "html":
        return f"<html><head><title>A title</title></head><body><article>{text}</article></body></html>"
    if shape == "bytes":
        return text.encode("utf-8", "surrogatepass") + draw(st.binary(max_size=200))
    return text
