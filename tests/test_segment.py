"""segment_page on project-written pages (fictional outlets and stories) and, when ../shared is
present, on the canonical wire page."""

from __future__ import annotations

from pathlib import Path

import pytest

from wirescope.records import SEGMENT_KINDS, Segment
from wirescope.segment import segment_page

SAMPLE = Path(__file__).resolve().parents[1] / "samples" / "wire-page-harbor-talks.txt"

# A fictional article used by several layouts below.
TITLE = "Riverside council approves new bridge over the Tamsel after two-year dispute"
ARTICLE = [
    "The Riverside city council voted 9-2 on Wednesday to approve a new pedestrian bridge over the "
    "Tamsel river, ending a two-year dispute between residents of the old town and the harbour district.",
    "The bridge, designed by the engineering firm Holloway & Berg, will connect the harbour district "
    "to the old town market square and is expected to cost about 14 million crowns.",
    '"This bridge joins two halves of Riverside that have looked at each other across the Tamsel for '
    'too long," Mayor Ilse Brandt said after the vote in the council chamber.',
    "Opponents of the bridge, led by councillor Tomas Wendt, had argued that its cost would delay repairs "
    "to the old town's flood walls along the Tamsel, and that the harbour district should pay a larger share.",
    "Wendt said after the vote that the council had ignored residents of the old town, but added that he "
    "would not challenge the bridge decision in court.",
    "Construction of the Tamsel bridge is due to begin next spring, and the council expects the first "
    "pedestrians to cross it before the end of the following year.",
]
TEASERS = [
    "Astronomers at the Kellan Observatory said on Friday they had found a faint comet that will pass "
    "close enough to the Earth next winter to be seen with binoculars.",
    "The national football federation fined two clubs on Thursday after fans threw flares onto the "
    "pitch during a cup match that was suspended for twenty minutes.",
]


def spans(text: str) -> list[tuple[str, str]]:
    return [(s.kind, text[s.start : s.end]) for s in segment_page(text)]


def texts_of(text: str, kind: str) -> list[str]:
    return [t for k, t in spans(text) if k == kind]


def kind_of(text: str, part: str) -> str | None:
    """The kind of the segment covering ``part`` of the page (None if it is in none)."""
    start = text.index(part)
    for s in segment_page(text):
        if s.start <= start and start + len(part) <= s.end:
            return s.kind
    return None


def body_text(text: str) -> str:
    return "\n".join(texts_of(text, "body"))


def assert_well_formed(text: str, segments: list[Segment]) -> None:
    assert segments == sorted(segments)
    for a, b in zip(segments, segments[1:]):
        assert a.end <= b.start
    for s in segments:
        assert s.kind in SEGMENT_KINDS
        assert 0 <= s.start < s.end <= len(text)
        covered = text[s.start : s.end]
        assert covered == covered.strip()


def test_empty_and_blank_pages_have_no_segments() -> None:
    assert segment_page("") == []
    assert segment_page("\n \n\t\n") == []


def test_single_paragraph_is_body() -> None:
    text = ARTICLE[0]
    assert segment_page(text) == [Segment(0, len(text), "body")]


def test_sample_page() -> None:
    text = SAMPLE.read_text("utf-8")
    segments = segment_page(text)
    assert_well_formed(text, segments)
    assert texts_of(text, "title") == [text.splitlines()[0]]
    body = body_text(text)
    assert body.startswith("Negotiators for the Calderon Dockworkers Union")
    assert body.endswith("accused the other of breaking.")
    assert texts_of(text, "byline") == ["(NWA)"]
    assert [t[:9] for t in texts_of(text, "boilerplate")] == ["Copyright"]
    teasers = texts_of(text, "teaser")
    assert [t.split()[0] for t in teasers] == ["Firefighters", "The", "A"]
    assert "Keldmark" not in body and "Ostrava" not in body


def test_teasers_before_the_article() -> None:
    page = "\n".join(["Home", "World", "Politics", *TEASERS, "Advertisement", TITLE, *ARTICLE, "Share on Facebook"])
    assert texts_of(page, "title") == [TITLE]
    assert body_text(page) == "\n".join(ARTICLE)
    assert texts_of(page, "teaser") == TEASERS


def test_teaser_right_after_the_article_without_any_marker() -> None:
    page = "\n\n".join([TITLE, *ARTICLE, TEASERS[0]])
    assert body_text(page) == "\n\n".join(ARTICLE)
    assert texts_of(page, "teaser") == [TEASERS[0]]


def test_interleaved_boilerplate_and_an_interruption_inside_the_article() -> None:
    lines = [
        "Subscribe to the Riverside Courier newsletter",
        TEASERS[0],
        "We use cookies to improve your experience on our site.",
        TITLE,
        *ARTICLE[:3],
        "Advertisement",
        *ARTICLE[3:],
        "© 2024 Riverside Courier. All rights reserved.",
        TEASERS[1],
        "Terms of Use | Privacy Policy",
    ]
    page = "\n".join(lines)
    assert all(kind_of(page, p) == "body" for p in ARTICLE)
    assert kind_of(page, TITLE) == "title"
    assert kind_of(page, TEASERS[0]) == kind_of(page, TEASERS[1]) == "teaser"
    for notice in ("Advertisement", "Subscribe to the Riverside", "© 2024 Riverside", "Terms of Use"):
        assert kind_of(page, notice) == "boilerplate"


def test_read_more_markers() -> None:
    page = "\n".join([
        TITLE,
        *ARTICLE[:2],
        "Read more: Harbour district traders fear parking losses",
        *ARTICLE[2:],
        "READ MORE",
        "Kellan Observatory finds comet",
        TEASERS[0],
    ])
    assert kind_of(page, "Read more: Harbour district traders fear parking losses") == "teaser"
    assert kind_of(page, "READ MORE") == "boilerplate"
    assert kind_of(page, "Kellan Observatory finds comet") == kind_of(page, TEASERS[0]) == "teaser"
    assert body_text(page).replace("\n", " ").count("Tamsel") == " ".join(ARTICLE).count("Tamsel")


def test_dateline_and_bylines() -> None:
    first = "RIVERSIDE, March 3 (Courier Wire) - " + ARTICLE[0]
    page = "\n\n".join([
        TITLE,
        "By Jane Okafor and Lars Heim",
        first,
        *ARTICLE[1:],
        "(Reporting by Jane Okafor; Editing by Lars Heim)",
    ])
    assert texts_of(page, "dateline") == ["RIVERSIDE, March 3 (Courier Wire) -"]
    assert texts_of(page, "byline") == ["By Jane Okafor and Lars Heim",
                                        "(Reporting by Jane Okafor; Editing by Lars Heim)"]
    assert body_text(page).startswith(ARTICLE[0])
    assert texts_of(page, "title") == [TITLE]


def test_photo_caption() -> None:
    page = "\n".join([TITLE, ARTICLE[0], "Photo: The Tamsel river at dusk. (Courier/Mira Holm)", *ARTICLE[1:]])
    assert texts_of(page, "caption") == ["Photo: The Tamsel river at dusk. (Courier/Mira Holm)"]
    assert len(texts_of(page, "body")) == 2


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\n\n"])
def test_spans_index_the_text_exactly(newline: str) -> None:
    page = newline.join(["  Home  ", TITLE + "\t", *ARTICLE, "\u200b", "  " + TEASERS[0]]) + newline
    segments = segment_page(page)
    assert_well_formed(page, segments)
    assert texts_of(page, "title") == [TITLE]
    assert texts_of(page, "teaser") == [TEASERS[0]]


def test_canonical_wire_page(shared_dir: Path) -> None:
    path = shared_dir / "samples" / "wire-page-us-hamas-talks.txt"
    if not path.is_file():
        pytest.skip(f"{path} not found")
    text = path.read_text("utf-8")
    segments = segment_page(text)
    assert_well_formed(text, segments)
    assert texts_of(text, "title") == [text.splitlines()[0].strip()]
    body = body_text(text)
    assert body.startswith("U.S. President Donald Trump acknowledged")
    assert body.rstrip(" (lLKHA)").endswith("meaningful negotiations can only happen on Hamas’s terms.")
    assert any(t.startswith("LEGAL WARNING") for t in texts_of(text, "boilerplate"))
    teasers = texts_of(text, "teaser")
    assert len(teasers) == 3
    assert [t.split()[0] for t in teasers] == ["Medical", "Venezuelan", "Ukrainian"]
    for word in ("Maduro", "Zelensky", "malnutrition"):
        assert word not in body


# A same-topic story from the same fictional outlet: it shares the article's names and places.
SAME_TOPIC_TEASER = (
    "Riverside council members on Tuesday asked the harbour district to pay for new lights along "
    "the Tamsel embankment, the third spending request of the month."
)


def test_article_split_by_advertisement_lines_stays_whole() -> None:
    page = "\n".join([TITLE, *ARTICLE[:2], "Advertisement", "Advertisement", *ARTICLE[2:], "Share on Facebook"])
    assert body_text(page) == "\n".join(ARTICLE)
    assert kind_of(page, "Advertisement") == "boilerplate"


def test_prose_beyond_two_notices_is_not_attached() -> None:
    page = "\n".join([
        TITLE,
        *ARTICLE,
        "© 2024 Riverside Courier. All rights reserved.",
        "Subscribe to the Riverside Courier newsletter",
        SAME_TOPIC_TEASER,
    ])
    assert body_text(page) == "\n".join(ARTICLE)
    assert kind_of(page, SAME_TOPIC_TEASER) == "teaser"


def test_a_dateline_opens_the_article_and_the_next_story() -> None:
    first = "RIVERSIDE (Courier Wire) - " + ARTICLE[0]
    other = "KELLAN (Courier Wire) - " + TEASERS[0]
    page = "\n".join([SAME_TOPIC_TEASER, TITLE, first, *ARTICLE[1:], other])
    assert kind_of(page, SAME_TOPIC_TEASER) == "teaser"
    assert kind_of(page, other) == "teaser"
    assert texts_of(page, "dateline") == ["RIVERSIDE (Courier Wire) -"]
    assert body_text(page) == "\n".join([ARTICLE[0], *ARTICLE[1:]])


def test_a_sentence_naming_a_social_network_stays_in_the_article() -> None:
    quote = "Wendt later wrote on Twitter that the vote was a mistake."
    page = "\n".join([TITLE, *ARTICLE[:5], quote, ARTICLE[5], "Share on Twitter"])
    assert kind_of(page, quote) == "body"
    assert kind_of(page, "Share on Twitter") == "boilerplate"


def test_an_authors_sign_off_closes_the_article() -> None:
    sign_off = "Follow Marta Holm on Twitter @martaholm_riverside."
    page = "\n".join([TITLE, *ARTICLE, sign_off, SAME_TOPIC_TEASER])
    assert kind_of(page, sign_off) == "body"
    assert kind_of(page, SAME_TOPIC_TEASER) == "teaser"
    assert body_text(page) == "\n".join([*ARTICLE, sign_off])


def test_a_dateline_after_a_horizontal_bar_opens_the_next_story() -> None:
    other = "KELLAN ― " + TEASERS[0]
    page = "\n".join([TITLE, *ARTICLE, other])
    assert kind_of(page, other) == "teaser"


def test_a_title_cased_headline_with_a_stop_starts_the_article() -> None:
    headline = "Riverside Council Approves New Bridge Over The Tamsel."
    page = "\n".join(["Home", SAME_TOPIC_TEASER, headline, *ARTICLE, "Share on Facebook"])
    assert kind_of(page, SAME_TOPIC_TEASER) == "teaser"
    assert texts_of(page, "title") == [headline]
    assert body_text(page) == "\n".join(ARTICLE)


def test_a_question_sub_heading_does_not_cut_off_the_paragraphs_above() -> None:
    page = "\n".join([TITLE, *ARTICLE[:2], "WHAT COMES NEXT?", *ARTICLE[2:]])
    assert all(kind_of(page, paragraph) == "body" for paragraph in ARTICLE)


def test_nothing_is_attached_past_a_headline_with_a_stop_below_the_article() -> None:
    headline = "Riverside Council Seeks New Lights For The Embankment."
    page = "\n".join([TITLE, *ARTICLE, "Advertisement", headline, SAME_TOPIC_TEASER])
    assert kind_of(page, SAME_TOPIC_TEASER) == "teaser"
    assert body_text(page) == "\n".join(ARTICLE)


def test_leads_of_other_local_stories_above_a_sentence_case_title_stay_out() -> None:
    leads = [
        ("Riverside council members on Tuesday asked the harbour district to pay for new street lights "
         "along the embankment, the third spending request of the month."),
        ("Harbour district shopkeepers said on Monday that the Riverside council had still not answered "
         "their request for longer market hours during the summer festival."),
    ]
    title = "Pedestrian bridge over the Tamsel wins approval."
    page = "\n".join([*leads, title, *ARTICLE, "Share on Facebook"])
    assert all(kind_of(page, lead) == "teaser" for lead in leads)
    assert texts_of(page, "title") == [title]
    assert body_text(page) == "\n".join(ARTICLE)


def test_nothing_is_attached_past_a_sentence_case_headline_below_the_article() -> None:
    headline = "Harbour district asks council for new ferry stop."
    lead = ("The harbour district association asked the Riverside council on Thursday to add a ferry stop "
            "at the old grain quay, saying the Tamsel crossing alone would not ease traffic.")
    page = "\n".join([TITLE, *ARTICLE[:2], "Advertisement", *ARTICLE[2:], headline, lead, "Share on Facebook"])
    assert kind_of(page, lead) == "teaser"
    assert all(kind_of(page, paragraph) == "body" for paragraph in ARTICLE)


# Readers' comments on the bridge story: together longer than the article and on its topic.
COMMENTS = [
    ("Marek on March 3, 2025 at 9:14 am said:",
     ("The Tamsel bridge is a waste of 14 million crowns while the flood walls in the old town are still "
      "crumbling, and the council knows that the harbour district will never pay its share of the cost.")),
    ("Ilse K. on March 3, 2025 at 10:02 am said:",
     ("I live in the old town and I will happily walk across the new bridge to the harbour market every "
      "morning, the council finally did something for pedestrians instead of cars and parking lots.")),
    ("Tomasz on March 3, 2025 at 11:40 am said:",
     ("Wendt was right about the flood walls along the Tamsel, the bridge will look nice on postcards but "
      "the next spring flood will show the council what residents of the old town have been saying for years.")),
    ("Anna B. on March 3, 2025 at 12:15 pm said:",
     ("Holloway & Berg built the harbour footbridge in 2019 and it was late and over budget, so I expect the "
      "Tamsel bridge to cost far more than 14 million crowns before the first pedestrians ever cross it.")),
]


def test_a_comment_thread_below_the_article_is_not_the_body() -> None:
    page = "\n".join([TITLE, *ARTICLE[:3], "3 Comments", *[line for c in COMMENTS for line in c]])
    assert body_text(page) == "\n".join(ARTICLE[:3])
    assert kind_of(page, COMMENTS[0][1]) != "body"


def test_a_tag_cloud_line_is_not_prose() -> None:
    cloud = (
        "agriculture bridge budget council culture education environment festival flood harbour health "
        "market parking pedestrians police river schools sport tourism traffic transport weather")
    page = "\n".join(["Menu", cloud, TITLE, *ARTICLE[:2], "Share on Facebook"])
    assert kind_of(page, cloud) != "body"
    assert body_text(page) == "\n".join(ARTICLE[:2])
