"""Small questions every step of the event coder asks of the dependency tree."""

from __future__ import annotations

from spacy.tokens import Doc, Token


def infinitive(clause: Token) -> bool:
    """A "to" clause: "to withdraw", "allowed X *to run*"."""
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in clause.children)


def with_conjuncts(token: Token) -> list[Token]:
    """The noun and the nouns conjoined to it ("Jordan and Britain")."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" and child.pos_ in {"NOUN", "PROPN", "PRON"}:
            out.extend(with_conjuncts(child))
    return out


def prep_objects(prep: Token) -> list[Token]:
    """The objects of a preposition with their conjuncts ("with *Israel and Egypt*")."""
    return [t for p in prep.children if p.dep_ == "pobj" for t in with_conjuncts(p)]


def crosses_line(doc: Doc, a: int, b: int) -> bool:
    """Whether a line break lies between tokens ``a`` and ``b`` (a headline and its body)."""
    lo, hi = sorted((a, b))
    return any(t.is_space and "\n" in t.text for t in doc[lo:hi])
