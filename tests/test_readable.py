"""Sources in the chat read as text, and a highlight given in verbatim offsets lands on the same words."""

from __future__ import annotations

from assistant.ui.readable import highlight_readable, readable

PASSAGE = ("#### **Resultater (udpluk):**\n\n- Afgiften har nedbragt forbruget af okse-\n\nkød med over 30 pct.\n"
           "- CO<sub>2</sub>-udledningen faldt.\n\nProduktion indenfor fødevarer, bolig- og transportsektoren er "
           "de tre mest\nmiljøbelastende sektorer.")


def test_markup_goes_broken_words_join_and_every_shown_character_maps_back():
    shown, where = readable(PASSAGE)
    assert shown == ("Resultater (udpluk):\n\n• Afgiften har nedbragt forbruget af oksekød med over 30 pct.\n"
                     "• CO2-udledningen faldt.\n\nProduktion indenfor fødevarer, bolig- og transportsektoren er de "
                     "tre mest miljøbelastende sektorer.")
    assert len(shown) == len(where)
    assert all(PASSAGE[at] == ch for ch, at in zip(shown, where, strict=True) if ch not in " \n•")


def test_a_verbatim_span_is_highlighted_on_the_words_it_covers():
    start = PASSAGE.index("okse-")
    end = PASSAGE.index("30 pct.") + len("30 pct.")
    html = highlight_readable(PASSAGE, [(start, end, "udb-evidence")])
    assert "<mark class='udb-evidence'>oksekød med over 30 pct.</mark>" in html


def test_a_long_hostile_text_is_handled_in_one_pass():
    text = ("#" * 5000 + " " + "*" * 5000 + "<" * 5000 + "-\n" * 5000)
    shown, where = readable(text)
    assert len(shown) == len(where) < len(text)
