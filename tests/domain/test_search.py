"""The terms a case is filed under and the terms a search looks up (cases/domain/search.py)."""

from datetime import date

import pytest

from cases.domain.search import MAX_TERM_LENGTH, birth_date_typed, search_terms, terms_of


def test_a_case_is_filed_under_every_start_of_every_word():
    assert terms_of(["Ann"]) == {"A", "AN", "ANN"}
    assert terms_of(["O'Brien"]) == {
        *("O", "B", "BR", "BRI", "BRIE", "BRIEN"),
        *("OB", "OBR", "OBRI", "OBRIE", "OBRIEN"),
    }


def test_accents_and_case_are_dropped_and_separators_split():
    assert "JOSE" in terms_of(["José"])
    assert {"GARCIA", "LOPEZ", "GARCIALOPEZ"} <= terms_of(["García-López"])
    assert {"SC", "00042", "SC00042", "SC0"} <= terms_of(["sc-00042"])
    assert terms_of(["", "  -- "]) == set()


def test_letters_of_other_scripts_are_words_too():
    assert {"Ł", "ŁU", "ŁUK", "ŁUKA", "ŁUKAS", "ŁUKASZ"} <= terms_of(["Łukasz"])
    assert "王" in terms_of(["王 芳"])


def test_long_words_are_filed_up_to_the_longest_term():
    word = "A" * (MAX_TERM_LENGTH + 10)
    assert max(len(term) for term in terms_of([word])) == MAX_TERM_LENGTH
    assert search_terms(word) == ["A" * MAX_TERM_LENGTH]


def test_a_search_looks_up_its_words_longest_first_without_implied_ones():
    assert search_terms("john SMITH jo") == ["SMITH", "JOHN"]
    assert search_terms("Smith smith") == ["SMITH"]
    assert search_terms("o'brien") == ["BRIEN", "O"]
    assert search_terms("  ") == []


def test_every_search_word_of_a_name_finds_it():
    filed = terms_of(["Mary Ann", "Smith-García", "TX-2026-0042"])
    for query in ("mary", "ann smi", "GARCIA", "smithgar", "tx-2026", "2026 00", "tx20260042"):
        assert set(search_terms(query)) <= filed, query
    assert not set(search_terms("mith")) <= filed


@pytest.mark.parametrize(
    "typed,born",
    [
        ("1984-02-03", date(1984, 2, 3)),
        (" 1984-2-3 ", date(1984, 2, 3)),
        ("2/3/1984", date(1984, 2, 3)),
        ("12/31/1999", date(1999, 12, 31)),
        ("1984-02-30", None),
        ("31/12/1999", None),
        ("1984", None),
        ("smith 1984-02-03", None),
        ("SC-1984-02", None),
    ],
)
def test_a_search_that_is_a_whole_date_is_a_date_of_birth(typed, born):
    assert birth_date_typed(typed) == born
