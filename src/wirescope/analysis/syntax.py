"""The shared parse vocabulary: spaCy dependency labels and pronoun sets the analyzers read.

Each analyzer asks the parse a slightly different question (who acts in an event, who speaks a
quote, who infers in a commentary), so the sets differ on purpose; each name says what it is for.
"""

from __future__ import annotations

# The subject of an active clause: the actor of an event ("Hamas *fired* rockets").
ACTIVE_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
# The subject of a passive clause: who undergoes the act ("Hamas *was attacked*").
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "csubjpass"})
# A noun subject, active or passive: who speaks ("he said", "she was quoted"), comments, or is
# the subject of a sentence a pronoun refers back to.
NOMINAL_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})

# Heads a subjectless quote cue climbs to for its speaker ("Trump told reporters, warning that ...").
QUOTE_CLIMB_DEPS = frozenset({"advcl", "xcomp", "conj", "acl", "ccomp"})
# Heads a subjectless event verb borrows its subject from ("agreed to withdraw", "... , warning
# that"); acomp: "is ready to".
EVENT_CLIMB_DEPS = frozenset({"xcomp", "conj", "advcl", "ccomp", "pcomp", "acomp"})

# Pronouns that name someone who can speak: a commentary verb with one as subject is a speech act.
SPEAKER_PRONOUNS = frozenset({"i", "we", "you", "he", "she", "they", "who"})
# Third-person pronouns that can only mean a person ("he", "her", "hers"; not "it", "they").
GENDERED_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
# Pronouns opening a relative clause, standing for the noun the clause hangs off.
RELATIVE_PRONOUNS = frozenset({"who", "which", "that", "whom"})
