"""knowledge/text.py: how the student's words are folded and shown back."""
def test_words_read_folded_are_shown_as_the_student_wrote_them():
    from knowledge.text import as_written

    assert as_written("conseiller clientele", "à partir d'un poste de Conseiller Clientèle ?") == "Conseiller Clientèle"
    # a word skipped in between ("avec") is part of what was written
    assert as_written("terminale generale spe ses", "en terminale générale avec spé SES, je peux ?") == \
        "terminale générale avec spé SES"
    assert as_written("licence d'economie", "ma fille termine une licence d'économie.") == "licence d'économie"
    assert as_written("bts banque", "un BUT ?") == "bts banque"  # not written: as read
