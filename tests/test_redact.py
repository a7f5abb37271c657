"""The one redactor: every planted identifier goes, every decoy stays, names become initials."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from stdnum import iban, luhn
from stdnum.bg import egn, pnf

from generator.redact import MARKERS, Found, Redactor, find_identifiers, initials, redact_identifiers

sys.path.insert(0, str(Path(__file__).parent))  # the planted corpus lives beside the tests
from planted.corpus import (  # noqa: E402
    CARDS,
    DECOYS,
    DOCUMENT_NUMBERS,
    EGNS,
    IBANS,
    LNCHS,
    LUHN_VALID_EIK,
    MAGISTRATES,
    NAME_CASES,
    PLANTED,
)

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def redactor() -> Redactor:
    return Redactor(MAGISTRATES)


# --- the corpus is what it claims to be ---------------------------------------------------


def test_planted_numbers_pass_their_checksums() -> None:
    assert all(egn.is_valid(v) for v in EGNS)
    assert all(pnf.is_valid(v) and not egn.is_valid(v) for v in LNCHS)
    assert all(iban.is_valid(v) for v in IBANS)
    assert all(luhn.is_valid(v) and 13 <= len(v) <= 19 for v in CARDS)


def test_decoy_numbers_fail_theirs() -> None:
    assert not any(egn.is_valid(v) or pnf.is_valid(v) for v in DOCUMENT_NUMBERS)
    assert luhn.is_valid(LUHN_VALID_EIK)  # a labelled ЕИК stays even when it would pass as a card


def test_no_planted_value_hides_inside_a_decoy() -> None:
    """Otherwise "the value is gone" could not be checked by looking for it."""
    others = [d.text for d in DECOYS] + [c.text for c in NAME_CASES]
    assert not [(p.value, text) for p in PLANTED for text in others if p.value in text]


def test_every_kind_is_planted_several_times() -> None:
    kinds = {p.kind for p in PLANTED}
    assert kinds == set(MARKERS) - {"name"}
    for kind in kinds:
        assert len({p.value for p in PLANTED if p.kind == kind}) >= 3, kind


# --- identifiers ----------------------------------------------------------------------------


@pytest.mark.parametrize("planted", PLANTED, ids=lambda p: f"{p.kind}:{p.text[:40]}")
def test_planted_identifier_is_removed(redactor: Redactor, planted) -> None:
    out = redactor.redact(planted.text)
    assert planted.value not in out
    assert MARKERS[planted.kind] in out


@pytest.mark.parametrize("decoy", DECOYS, ids=lambda d: d.value)
def test_decoy_survives_unchanged(redactor: Redactor, decoy) -> None:
    assert redactor.redact(decoy.text) == decoy.text


def test_a_case_number_whose_checksum_fails_is_kept_and_one_that_passes_is_not() -> None:
    failing, passing = DOCUMENT_NUMBERS[1], EGNS[0]
    assert redact_identifiers(f"Номер {failing}.") == f"Номер {failing}."
    assert redact_identifiers(f"Номер {passing}.") == "Номер [ЕГН заличено]."


def test_labelled_values_go_whatever_their_checksum() -> None:
    assert redact_identifiers("ЛНЧ 1234567890") == "[ЛНЧ заличено]"
    assert redact_identifiers("ЕГН: 750101-0011.") == "[ЕГН заличено]."


def test_a_labelled_eik_stays_and_an_unlabelled_luhn_number_goes() -> None:
    assert redact_identifiers(f"ЕИК {LUHN_VALID_EIK}") == f"ЕИК {LUHN_VALID_EIK}"
    assert redact_identifiers(f"номер {LUHN_VALID_EIK}") == "номер [номер на карта заличен]"


def test_the_full_address_becomes_one_marker_and_the_town_stays() -> None:
    text = "гр. Кюстендил, ул. „Г. С. Раковски“ № 12, вх. Б, ет. 3, ап. 7, тел. 0887 123 456."
    assert redact_identifiers(text) == "гр. Кюстендил, [адрес заличен], тел. [телефон заличен]."


def test_find_identifiers_reports_kinds_and_offsets() -> None:
    text = "ЕГН 7501010010, имейл a.b@abv.bg"
    found = find_identifiers(text)
    assert found == [Found("egn", 0, 14), Found("email", 22, 32)]
    assert text[found[1].start : found[1].end] == "a.b@abv.bg"


def test_text_inside_markers_is_never_touched(redactor: Redactor) -> None:
    text = "".join(f"{marker} " for marker in MARKERS.values())
    assert redactor.redact(text) == text


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize("case", NAME_CASES, ids=lambda c: c.text[:30])
def test_names_become_initials_consistently(redactor: Redactor, case) -> None:
    out = redactor.redact(case.text)
    for gone in case.gone:
        assert gone not in out
    for expected in case.expected + case.kept:
        assert expected in out, out


def test_public_names_match_case_insensitively_and_by_first_and_last_name() -> None:
    redactor = Redactor(["анна петрова иванова"])
    assert redactor.redact("Съдия Анна Иванова докладва.") == "Съдия Анна Иванова докладва."
    assert redactor.redact("Съдия Анна Петрова Иванова докладва.") == "Съдия Анна Петрова Иванова докладва."
    assert Redactor().redact("Съдия Анна Иванова докладва.") == "Съдия А. И. докладва."


def test_names_can_become_a_marker_instead_of_initials() -> None:
    redactor = Redactor(initials=False)
    assert redactor.redact("Съпругата Мария Петрова и Петрова.") == "Съпругата [име заличено] и [име заличено]."


def test_initials_of_a_double_surname() -> None:
    assert initials(["Мария", "Петрова-Иванова"]) == "М. П.-И."


# --- the whole redactor ---------------------------------------------------------------------


def test_redacting_twice_changes_nothing(redactor: Redactor) -> None:
    texts = [p.text for p in PLANTED] + [d.text for d in DECOYS] + [c.text for c in NAME_CASES]
    texts.append(" ".join(texts))
    for text in texts:
        once = redactor.redact(text)
        assert redactor.redact(once) == once, text


def test_identifiers_then_names_in_one_text(redactor: Redactor) -> None:
    text = (
        "Жалбоподателят Иван Петров Стоянов, ЕГН 7501010010, живущ в гр. Кюстендил, "
        "ул. „Г. С. Раковски“ № 12, тел. +359 88 123 4567, твърди, че съдия Анна Иванова "
        "по гр. д. № 1234/2025 не е декларирала сметка BG80 BNBG 9661 1020 3456 78."
    )
    assert redactor.redact(text) == (
        "Жалбоподателят И. П. С., [ЕГН заличено], живущ в гр. Кюстендил, "
        "[адрес заличен], тел. [телефон заличен], твърди, че съдия Анна Иванова "
        "по гр. д. № 1234/2025 не е декларирала сметка [IBAN заличен]."
    )


def test_throughput_is_fit_for_a_whole_build(redactor: Redactor) -> None:
    sentences = [p.text for p in PLANTED] + [d.text for d in DECOYS] + [c.text for c in NAME_CASES]
    documents = [" ".join(sentences[i : i + 12]) for i in range(0, len(sentences), 12)] * 20
    size = sum(len(d.encode()) for d in documents)
    fresh = Redactor(MAGISTRATES)  # no cache: every document is long
    start = time.process_time()  # CPU time: other work on a shared machine does not count
    for document in documents:
        fresh.redact(document)
    seconds = time.process_time() - start
    assert size > 500_000
    assert size / seconds > 500_000, f"{size / seconds / 1e6:.2f} MB/s"  # measured ≈ 5 MB/s; CI may be slower


def test_short_repeated_texts_are_answered_from_the_cache(redactor: Redactor) -> None:
    assert redactor.redact("Окръжен съд – Кюстендил") is redactor.redact("Окръжен съд – Кюстендил")


# --- the content page -----------------------------------------------------------------------


def test_every_marker_is_explained_on_the_personal_data_page() -> None:
    page = (ROOT / "content" / "lichni-danni.md").read_text(encoding="utf-8")
    assert "Как защитаваме личните данни" in page
    for marker in MARKERS.values():
        assert marker in page, marker


def test_the_personal_data_page_itself_holds_no_identifier() -> None:
    page = (ROOT / "content" / "lichni-danni.md").read_text(encoding="utf-8")
    assert find_identifiers(page) == []
