from __future__ import annotations

import re
from pathlib import Path

from build_site.deidentify import Matcher, deidentify
from build_site.pipeline import load_and_validate
from build_site.study import Identifier

from .alternation import alternation_hits

REPO = Path(__file__).resolve().parents[2]

ANA = Identifier(text="Ana Reyes", replacement="Lucia", kind="person",
                 variants=["Ana", "Mrs. Reyes", "Reyes"])
VAN = Identifier(text="Pieter van der Berg", replacement="[a nurse]", kind="person",
                 variants=["van der Berg"])
HOPE = Identifier(text="Hope", replacement="[daughter]", kind="person", case_sensitive=True)
JOSE = Identifier(text="José Núñez", replacement="Mateo", kind="person", variants=["Núñez"])


def test_forms_in_many_shapes_are_replaced() -> None:
    m = Matcher([ANA, VAN, JOSE])
    assert m.replace("ANA REYES came; ana reyes left.") == "Lucia came; Lucia left."
    assert m.replace("It was Ana\u2019s idea and Reyes's too.") == (
        "It was Lucia\u2019s idea and Lucia's too."
    )
    assert m.replace("*Ana* Reyes and [Ana Reyes](x)") == "*Lucia and [Lucia](x)"
    assert m.replace("Ana\nReyes") == "Lucia"
    assert m.replace("Mrs.  Reyes") == "Lucia"
    assert m.replace("Pieter van der Berg, van der Berg") == "[a nurse], [a nurse]"
    assert m.replace("Jose Nunez and Jose\u0301 Nu\u0301n\u0303ez") == "Mateo and Mateo"


def test_invisible_characters_do_not_hide_a_name() -> None:
    m = Matcher([ANA])
    # A zero-width space, soft hyphen or word joiner splits the name for a program, not for a
    # reader: the name is replaced, the invisible characters inside it with it.
    assert m.replace("An\u200ba Re\u00adyes and Ana\u2060 Reyes") == "Lucia and Lucia"
    # A joiner is kept in the text (it shapes some scripts), but the gate still sees the name.
    assert m.contains("A\u200dna Reyes was here") == [ANA]


def test_whole_words_only() -> None:
    m = Matcher([ANA])
    assert m.replace("Anatomy of Banana") == "Anatomy of Banana"


def test_case_sensitive_entry_keeps_the_model_vocabulary() -> None:
    m = Matcher([HOPE])
    assert m.replace("Hope drove her. She felt hope.") == "[daughter] drove her. She felt hope."


def test_contains_agrees_with_find() -> None:
    m = Matcher([ANA, VAN, HOPE])
    text = "the <em>Ana</em>  Reyes file; hope; van der\nBerg"
    assert {i.text for i in m.contains(text)} == {"Ana Reyes", "Pieter van der Berg"}


def test_every_shown_string_is_replaced(tiny: Path) -> None:
    study = deidentify(load_and_validate(tiny))
    c1p1 = study.dyads[0]
    assert c1p1.narrative == "Ada first met C1 in [small town]."
    assert c1p1.excerpts[0].text == "C1 heard me out, and [her husband] came with me."
    assert study.clinicians[0].narrative == "C1 listens before she speaks."
    assert study.dyads[0].id == "C1-P1"  # ids untouched


def _reference_fold(text: str, lower: bool) -> str:
    """fold() as first written: one translate table per call, every character looked up."""
    import unicodedata

    from build_site.deidentify.matching import _fold_char

    text = unicodedata.normalize("NFC", text)
    return text.translate({ord(c): _fold_char(c, lower) for c in set(text)})


def test_fast_fold_equals_the_reference_fold() -> None:
    import random

    from build_site.deidentify.matching import _collapse, _fold_char, fold

    # The fast path lower-cases after folding: every folded character must be its own lower
    # case, or lower() could change a folded letter (or the length).
    for code in range(0x80, 0x110000):
        if not 0xD800 <= code < 0xE000:
            folded = _fold_char(chr(code), True)
            assert folded.lower() == folded, hex(code)
    rng = random.Random(8)
    special = "José Núñez\u2019\u02bcİß e\u0301 *_\nΣΑΣ ΟΔΟΣ"  # Σ: no final-sigma rule
    alphabet = [chr(i) for i in range(0x300)] + list(special) * 20
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        for lower in (True, False):
            assert fold(text, lower) == _reference_fold(text, lower), repr(text)
        assert _collapse(text) == re.sub(r"[\s*_]+", " ", text).strip(" "), repr(text)


def _reference_find(matcher: Matcher, text: str) -> list[tuple[int, int, str]]:
    """find() as first written: every form's expression over the whole text (case-sensitive
    forms in any case, then kept only where written with a capital)."""
    hits = alternation_hits(matcher, text)
    hits.sort(key=lambda h: (h[0], -(h[1] - h[0])))
    kept: list[tuple[int, int, str]] = []
    for hit in hits:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


def test_find_through_contains_equals_every_expression_over_the_text() -> None:
    import random

    study = load_and_validate(Path(__file__).parents[2] / "casestudies")
    identifiers = [*study.identifiers, ANA, VAN, HOPE, JOSE]
    matcher = Matcher(identifiers)
    forms = [f for i in identifiers for f in i.forms()]
    pieces = [*forms, *(f.upper() for f in forms), *(f.lower() for f in forms), "hope", "Hope",
              "_", "*", " ", "\n", "'s", "’s", "x", "Annual", "é", ".", "-", "Dr. ", "van der"]
    rng = random.Random(5)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "_", "*", "\n  "])
                       for _ in range(rng.randint(0, 8)))
        assert [(h.start, h.end, h.identifier.text) for h in matcher.find(text)] == \
            _reference_find(matcher, text), repr(text)


FIONA = Identifier(text="Fiona Griffin", replacement="Rosa", kind="person")


def test_fullwidth_letters_are_the_name() -> None:
    m = Matcher([ANA])
    assert m.replace("Seen by \uff21\uff4e\uff41 \uff32\uff45\uff59\uff45\uff53.") == \
        "Seen by Lucia."
    assert m.contains("\uff21\uff2e\uff21") == [ANA]


def test_mathematical_letters_are_the_name() -> None:
    m = Matcher([ANA])
    bold = "\U0001d400\U0001d427\U0001d41a \U0001d411\U0001d41e\U0001d432\U0001d41e\U0001d42c"
    assert m.replace(f"({bold})") == "(Lucia)"
    assert m.contains("\U0001d5a0\U0001d5c7\U0001d5ba") == [ANA]  # sans-serif


def test_a_ligature_is_its_letters() -> None:
    m = Matcher([FIONA])
    assert m.replace("\ufb01ona Gri\ufb00in came") == "Rosa came"
    assert m.contains("FIONA GRI\ufb03N") == [FIONA]


def test_every_invisible_character_inside_a_name_is_read_through() -> None:
    m = Matcher([ANA])
    # Default_Ignorable_Code_Points that are not format characters (category Cf) as well as
    # some that are: combining grapheme joiner, variation selector, Hangul filler, tag
    # character, ZWNJ, LRM, invisible times, Mongolian vowel separator.
    for mark in ["\u034f", "\ufe0f", "\u3164", "\U000e0041", "\u200c", "\u200e", "\u2062",
                 "\u180e", "\u115f", "\U000e0100"]:
        text = f"by A{mark}na Re{mark}yes."
        assert m.replace(text) == "by Lucia.", repr(mark)
        assert m.contains(f"A{mark}na") == [ANA], repr(mark)


def test_look_alike_letters_of_other_scripts_are_the_name() -> None:
    m = Matcher([ANA, Identifier(text="Ian Tamm", replacement="Leo", kind="person")])
    assert m.replace("\u0410na R\u0435\u0443es") == "Lucia"  # Cyrillic A, ie and u
    assert m.replace("\u0399AN T\u0391MM and ian tamm") == "Leo and Leo"  # Greek Iota, Alpha
    # Ordinary words stay: "I" is not "l", digits are not letters, "rn" is not "m".
    names = Matcher([Identifier(text="Ali", replacement="[x]", kind="person"),
                     Identifier(text="Lo", replacement="[y]", kind="person"),
                     Identifier(text="Bum", replacement="[z]", kind="person")])
    assert names.replace("all of the 10 burn units") == "all of the 10 burn units"


def test_text_outside_a_replaced_name_keeps_its_own_characters() -> None:
    m = Matcher([ANA])
    text = "\u200fAna\u200e said \u00bd; \U0001f468\u200d\U0001f469 \ufb01ne \uff21\u200bna."
    assert m.replace(text) == "\u200fLucia\u200e said \u00bd; \U0001f468\u200d\U0001f469 " \
        "\ufb01ne Lucia."


def test_hits_are_offsets_into_the_text_as_given() -> None:
    m = Matcher([FIONA])
    text = "\u00bd \ufb01ona Griffin \ufb01"
    [hit] = m.find(text)
    assert text[hit.start:hit.end] == "\ufb01ona Griffin"


def test_an_ordinary_word_name_in_mixed_case_is_the_name() -> None:
    m = Matcher([HOPE, Identifier(text="Quill", replacement="Ada", kind="person")])
    assert m.replace("HOPE, hoPe and QuilL; but hope and a quill.") == \
        "[daughter], [daughter] and Ada; but hope and a quill."
    assert m.contains("a qUILL") and not m.contains("hope and a quill")


def test_a_form_listed_both_ways_is_matched_in_any_case_for_either_order() -> None:
    grace = Identifier(text="Grace", replacement="[a sister]", kind="person")  # ordinary word
    listed = Identifier(text="grace", replacement="[a friend]", kind="person",
                        case_sensitive=False)
    for order in ([grace, listed], [listed, grace]):
        m = Matcher(order)
        [found] = m.contains("we said grace")
        assert m.replace("we said grace") == f"we said {found.replacement}"


def test_matchers_sharing_compiled_patterns_keep_their_own_lists() -> None:
    # Compiled expressions are shared by source and flags across matchers (issue 25): one
    # made later over other forms, or the same form case-sensitive, answers by its own list.
    text = "Ana Reyes met Hope and hope; Reyes again."
    first = Matcher([ANA])
    assert first.replace(text) == "Lucia met Hope and hope; Lucia again."
    other = Matcher([Identifier(text="Ana Reyes", replacement="[her]", kind="person")])
    assert other.replace(text) == "[her] met Hope and hope; Reyes again."
    lower = "Reyes and reyes"
    sensitive = Matcher([Identifier(text="Reyes", replacement="[s]", kind="person",
                                    case_sensitive=True)])
    insensitive = Matcher([Identifier(text="Reyes", replacement="[i]", kind="person")])
    assert sensitive.replace(lower) == "[s] and reyes"
    assert insensitive.replace(lower) == "[i] and [i]"
    assert first.replace(text) == "Lucia met Hope and hope; Lucia again."


def test_patterns_of_a_few_entries_equal_those_read_from_the_whole_list() -> None:
    # Issue 25: the forms of the entries present are looked up per entry, not by reading
    # every form of the list for each text.
    import random

    from build_site.deidentify.matching import _ordered

    identifiers = [*load_and_validate(REPO / "casestudies").identifiers, ANA, VAN, HOPE, JOSE]
    matcher = Matcher(identifiers)
    chooser = random.Random(25)
    subsets = [identifiers[:1], identifiers, [HOPE], [HOPE, ANA]]
    subsets += [chooser.sample(identifiers, k) for k in (2, 3, 5, 8, 13) for _ in range(4)]
    for present in subsets:
        key = {id(i) for i in present}
        by_form = matcher._by_form.items()
        expected = (_ordered((f for (s, f), i in by_form if not s and id(i) in key), 0),
                    _ordered((f for (s, f), i in by_form if s and id(i) in key),
                             re.IGNORECASE))
        got = matcher._patterns_for(present)
        assert [[(p.pattern, p.flags) for p in kind] for kind in got] == [
            [(p.pattern, p.flags) for p in kind] for kind in expected]
    assert any(matcher._patterns_for([HOPE]))


ALCOTT = Identifier(text="Wren Alcott", replacement="[the patient]", kind="person",
                    variants=["Alcott"])


def test_a_name_beside_a_character_read_as_a_letter_is_replaced() -> None:
    # The canonical reading reads "|" as "l", the em dash and horizontal bar as the letter
    # "ー", "¹" as "1": the name was glued to its neighbour, left in place, and (since the gate
    # reads such characters both ways) the build refused. Read both ways here too.
    m = Matcher([ALCOTT])
    assert m.replace("Alcott\u2014she said so") == "[the patient]\u2014she said so"
    assert m.replace("it was Wren Alcott\u2015again") == "it was [the patient]\u2015again"
    assert m.replace("Alcott|C1|yes") == "[the patient]|C1|yes"
    assert m.replace("Alcott\u00b9 and Alcott\u2122") == (
        "[the patient]\u00b9 and [the patient]\u2122")
    # ... and still as the letter: "A|cott" (a pipe for an l) is the name
    assert m.replace("A|cott came") == "[the patient] came"
    assert m.replace("so\u2014and\u2014so") == "so\u2014and\u2014so"


def test_contains_reads_a_character_read_as_a_letter_both_ways() -> None:
    # contains() names what find() replaces: the linkage check and the search for a leak's
    # source (unreplaced_sources) read with it.
    m = Matcher([ALCOTT])
    assert m.contains("Alcott\u2014she said") == [ALCOTT]
    assert m.contains("Alcott|C1") == [ALCOTT]
    assert m.contains("A|cott") == [ALCOTT]
    assert m.contains("so\u2014and|so") == []


def test_the_canonical_reading_is_kept_and_the_same_as_read_afresh() -> None:
    """deid6: ``_canonical`` is kept per process (a pure function of its arguments)."""
    from build_site.deidentify import matching

    forms = ["Dr.  Ａna_Lee", "ROSE*kjelstad", " o’neil ", "İstanbul", "x\u200by", "a\tb"]
    for form in forms:
        for lower in (True, False):
            assert matching._canonical(form, lower) == matching._canonical.__wrapped__(
                form, lower)
    before = matching._canonical.cache_info().hits
    matching._canonical(forms[0], True)
    assert matching._canonical.cache_info().hits == before + 1
