"""The plain-words checker on council and NHS sentences, on plain ones, and the glossary."""

import pytest
import textstat

from core.plain_words import (
    EVERYDAY_CAPITALS,
    MAX_READING_AGE,
    Kind,
    Source,
    builtin,
    check,
    explain,
    lookup,
)
from core.plain_words.glossary import kind_of, parse_glossary

# (sentence, known terms as the glossary spells them in order of first use, unknown acronyms)
CORPUS = [
    (
        "The ICB will undertake a procurement exercise to commission CAMHS provision "
        "in line with the outcomes framework.",
        [
            "ICB",
            "undertake",
            "procurement",
            "commission",
            "CAMHS",
            "provision",
            "outcomes framework",
        ],
        [],
    ),
    (
        "Providers must submit their tenders via the portal by 5pm on Friday.",
        ["provider", "tender"],
        [],
    ),
    (
        "Stakeholder engagement will inform the service specification for the new SEND pathway.",
        ["stakeholder", "engagement", "specification", "SEND", "pathway"],
        [],
    ),
    (
        "Your GP can make a referral to the MHST if you are on the waiting list for CAMHS.",
        ["GP", "referral", "MHST", "CAMHS"],
        [],
    ),
    (
        "The local authority has a statutory duty to safeguard looked after children "
        "and care leavers.",
        ["local authority", "statutory", "safeguard", "looked after child", "care leaver"],
        [],
    ),
    (
        "A&E attendances by CYP rose 12% and the RTT target was missed.",
        ["A&E", "CYP", "RTT"],
        [],
    ),
    (
        "We are co-producing the offer with the youth forum and will feed back in due course.",
        ["co-produce", "in due course"],
        [],
    ),
    (
        "Please complete the EHCP needs assessment before the multi-agency panel meets.",
        ["EHCP", "needs assessment", "multi-agency"],
        [],
    ),
    (
        "The XYZ board approved the CAMHS budget and asked the QRT to report back.",
        ["CAMHS", "budget"],
        ["XYZ", "QRT"],
    ),
    (
        "Services were commissioned and decommissioned, tenders evaluated, and referrals "
        "escalated to commissioners.",
        ["commission", "decommission", "tender", "referral", "escalate", "commissioner"],
        [],
    ),
    (
        "All EHCPs and KPIs are reviewed by the GPs and ICBs each quarter.",
        ["EHCP", "KPI", "GP", "ICB"],
        [],
    ),
    (
        "The coproduction and co design sessions were evidence-based.",
        ["co-production", "co-design", "evidence base"],
        [],
    ),
    (
        "We will utilize the data and anonymize it before mobilization.",
        ["utilise", "anonymise", "mobilisation"],
        [],
    ),
    (
        "Going forward, the CQC will scrutinise safeguarding arrangements across the ICS.",
        ["going forward", "CQC", "safeguarding", "ICS"],
        [],
    ),
    (
        "Our SENCO will signpost families to early help and the local offer.",
        ["SENCO", "signpost", "early help", "local offer"],
        [],
    ),
    (
        "Please send us your nice ideas; we will not be sending anything to NICE.",
        ["NICE"],
        [],
    ),
    (
        "CAMHS (mental health services for young people) will see you within 4 weeks.",
        [],
        [],
    ),
    (
        "The Youth Participation Group (YPG) meets monthly and the YPG chair reports to the board.",
        ["participation"],
        [],
    ),
    (
        "The NHS and the DWP are working with the ABC (a local charity) on this.",
        ["NHS"],
        ["DWP"],
    ),
]


@pytest.mark.parametrize(("text", "terms", "acronyms"), CORPUS)
def test_corpus_findings_are_exact(text, terms, acronyms):
    findings = check(text)
    assert [term.term for term in findings.terms] == terms
    assert [found.acronym for found in findings.unknown_acronyms] == acronyms
    assert all(term.source == Source.GLOSSARY for term in findings.terms)
    assert findings.jargon == bool(terms or acronyms)


def test_spans_point_at_the_words_as_written():
    text = "Providers and providers: the Outcomes Frameworks of our GPs."
    findings = check(text)
    [provider, framework, gp] = findings.terms
    assert [span.text for span in provider.spans] == ["Providers", "providers"]
    assert [(s.start, s.end) for s in provider.spans] == [(0, 9), (14, 23)]
    assert framework.spans[0].text == "Outcomes Frameworks"
    assert gp.spans[0].text == "GPs"
    assert text[gp.spans[0].start : gp.spans[0].end] == "GPs"


def test_longest_match_wins_and_words_inside_words_are_not_terms():
    assert [t.term for t in check("The invitation to tender is out.").terms] == [
        "invitation to tender"
    ]
    assert [t.term for t in check("Ask about self-referral today.").terms] == ["self-referral"]
    assert [t.term for t in check("A non-statutory offer.").terms] == ["non-statutory"]
    assert check("A forbidden app and the GPS on my phone.").terms == ()
    assert check("We had a tenderly cooked contractual dinner.").terms == ()


def test_acronyms_are_case_sensitive_and_words_are_not():
    assert check("Can you send it to me? Nice one, and a gp of sorts.").plain
    assert [t.term for t in check("SAFEGUARDING matters.").terms] == ["safeguarding"]
    assert [t.term for t in check("The Tender closes soon.").terms] == ["tender"]


def test_forum_terms_count_like_the_glossary_and_can_replace_it():
    extra = {"SHAPE": "Our youth club's health project.", "hub": "The youth centre on King Street."}
    findings = check("The SHAPE team will visit the hub and the GP on Tuesday.", extra)
    assert [(t.term, t.source) for t in findings.terms] == [
        ("SHAPE", Source.FORUM),
        ("hub", Source.FORUM),
        ("GP", Source.GLOSSARY),
    ]
    assert findings.unknown_acronyms == ()
    assert check("The SHAPE team will visit the hub.").unknown_acronyms[0].acronym == "SHAPE"
    own = {"GP": "Dr Patel at the Lime Street surgery."}
    assert explain("Ask your GP.", own) == [("GP", "Dr Patel at the Lime Street surgery.")]
    assert lookup("gp", own) == "Dr Patel at the Lime Street surgery."


def test_unknown_acronyms_explained_in_the_text_are_fine():
    assert check("CAMHS (mental health services for young people) can help.").plain
    assert check("The Young Voices Panel (YVP) met. The YVP said yes.").plain
    assert check("The YVP met. The YVP (Young Voices Panel) said yes.").plain
    [unexplained] = check("The YVP met. The YVP said yes.").unknown_acronyms
    assert unexplained.acronym == "YVP"
    assert [span.start for span in unexplained.spans] == [4, 17]
    assert check("The YVP () met.").unknown_acronyms, "empty brackets explain nothing"


def test_everyday_capitals_and_plurals():
    assert {"OK", "TV", "UK"} <= EVERYDAY_CAPITALS
    assert check("OK, see you on TV. The UK is big.").unknown_acronyms == ()
    assert [a.acronym for a in check("Our JPBs meet.").unknown_acronyms] == ["JPB"]


def test_placeholders_commands_codes_and_addresses_are_not_checked():
    for text in (
        "{title}",
        "{KPI} {NHS}",
        'You paused "{title}". Your answers are saved.',
        "Type /consult to see what's open, or /whatis to ask about a word.",
        "Type /vote ABCDE-FGHJK to vote.",
        "See https://example.org/CAMHS/GP for more, or ask @YouthForumBot.",
    ):
        findings = check(text)
        assert findings.plain, (text, findings.problems())
    assert check("{title}").reading_age is None
    assert check("{title}").words == 0


PLAIN = [
    "Tell us what you think about the new youth club.",
    "We'll meet on Tuesday at 4pm in the library. Bring a friend if you like.",
    "Your answers help doctors and nurses make the ward a better place for young people.",
    "Thanks for your ideas. We changed the opening times because of what you said.",
    "The doctor will see you soon. You can bring someone with you, like a parent or a friend.",
    "Welcome back!",
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_sentences_have_no_findings(text):
    findings = check(text)
    assert findings.plain, findings.problems()
    assert findings.problems() == []


def test_reading_age_is_flesch_kincaid_grade_plus_five():
    text = "The cat sat on the mat. The dog ran to the park."
    words, sentences, syllables = 12, 2, 12
    assert textstat.lexicon_count(text) == words and textstat.syllable_count(text) == syllables
    grade = 0.39 * words / sentences + 11.8 * syllables / words - 15.59
    findings = check(text)
    assert (findings.words, findings.sentences) == (words, sentences)
    assert findings.reading_age == round(grade + 5, 1) == 3.6


def test_very_short_texts_have_no_reading_age():
    assert check("Notwithstanding aforementioned considerations whatsoever.").reading_age is None
    assert check("One two three four five six seven.").reading_age is None
    assert check("One two three four five six seven eight.").reading_age is not None


def test_officialese_is_too_hard():
    findings = check(
        "Notwithstanding the aforementioned considerations, organisational responsibility "
        "necessitates comprehensive documentation of individualised decision-making processes."
    )
    assert findings.reading_age is not None and findings.reading_age > MAX_READING_AGE
    assert findings.too_hard and not findings.plain
    assert "reading age" in findings.problems()[-1]


def test_long_sentences_are_found_and_line_breaks_end_sentences():
    long = " ".join(["we"] * 20 + ["went", "to", "the", "park", "and", "had", "fun", "there"])
    findings = check(f"{long}. Then we went home.")
    [sentence] = findings.long_sentences
    assert sentence.words == 28
    assert findings.sentences == 2
    listed = "\n".join(["- tap a button to answer the question you see"] * 5)
    assert check(listed).long_sentences == ()
    assert check(listed).sentences == 5


def test_explain_gives_each_term_once_in_order_and_skips_explained_ones():
    text = "Your GP (family doctor) and CAMHS work with the ICB. Ask CAMHS about your GP."
    assert explain(text) == [
        ("CAMHS", lookup("CAMHS")),
        ("ICB", lookup("ICB")),
    ]
    assert explain("Nothing hard here.") == []


def test_lookup_is_forgiving_and_returns_none_for_unknown_words():
    gp = lookup("GP")
    assert gp == "A family doctor. They are usually the first doctor you see when you feel unwell."
    for asked in ("gp", "GPs", " GP ", "'GP'", "GP?"):
        assert lookup(asked) == gp
    assert lookup("co production") == lookup("coproduction") == lookup("co-production")
    assert lookup("Tenders") == lookup("tender")
    assert lookup("commissioning") != lookup("commission")
    assert lookup("looked after children") == lookup("looked after child")
    assert lookup("flibbertigibbet") is None
    assert lookup("") is None
    assert lookup("   ") is None


REQUIRED = [
    "CRG",
    "CAMHS",
    "ICS",
    "ICB",
    "tender",
    "procurement",
    "specification",
    "commissioning",
    "commissioner",
    "stakeholder",
    "KPI",
    "outcomes framework",
    "GP",
    "A&E",
    "SEND",
    "EHCP",
    "CQC",
    "NHS",
    "safeguarding",
    "consultation",
    "co-production",
    "service user",
    "provider",
    "contract",
    "budget",
]


def test_glossary_is_big_enough_and_has_the_terms_people_meet():
    glossary = builtin()
    assert len(glossary) >= 150
    terms = {entry.term for entry in glossary}
    assert set(REQUIRED) <= terms
    assert len({entry.term.casefold() for entry in glossary}) == len(glossary)


@pytest.mark.parametrize("entry", builtin(), ids=lambda entry: entry.term)
def test_each_explanation_is_plain_for_an_eleven_year_old(entry):
    findings = check(entry.explanation)
    assert findings.plain, findings.problems()
    assert findings.sentences <= 2, "one or two short sentences"
    assert entry.explanation[0].isupper() and entry.explanation.endswith((".", "!", "?"))


@pytest.mark.parametrize("entry", builtin(), ids=lambda entry: entry.term)
def test_each_term_is_found_as_itself(entry):
    assert kind_of(entry.term) == entry.kind or entry.kind == Kind.WORD
    assert [t.term for t in check(f"We talked about {entry.term} today.").terms] == [entry.term]
    assert lookup(entry.term) == entry.explanation


def test_a_broken_glossary_is_refused_with_its_line():
    with pytest.raises(ValueError, match=r"glossary\.csv:1: the columns"):
        parse_glossary("word,meaning\nGP,doctor\n")
    with pytest.raises(ValueError, match=r"glossary\.csv:3: 'gp' is in the glossary twice"):
        parse_glossary("term,kind,explanation\nGP,acronym,A doctor.\ngp,word,A doctor.\n")
    with pytest.raises(ValueError, match=r"glossary\.csv:2: each row needs"):
        parse_glossary("term,kind,explanation\nGP,thing,A doctor.\n")
    with pytest.raises(ValueError, match=r"glossary\.csv:2: each row needs"):
        parse_glossary("term,kind,explanation\nGP,acronym,A doctor, a nice one.\n")
