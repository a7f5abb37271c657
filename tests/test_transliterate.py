"""The Transliteration Act's table and examples, and the spellings people type instead."""

from __future__ import annotations

import pytest

from generator.transliterate import latin_variants, slugify, transliterate


# Examples given in the Act (Art. 3 and 4 of Закон за транслитерацията).
@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Атанасов", "Atanasov"), ("Балчик", "Balchik"), ("Враца", "Vratsa"), ("Габрово", "Gabrovo"),
        ("Добрич", "Dobrich"), ("Елена", "Elena"), ("Жеравна", "Zheravna"), ("Златица", "Zlatitsa"),
        ("Искър", "Iskar"), ("Йордан", "Yordan"), ("Карлово", "Karlovo"), ("Ловеч", "Lovech"),
        ("Мизия", "Mizia"), ("Несебър", "Nesebar"), ("Опака", "Opaka"), ("Пловдив", "Plovdiv"),
        ("Русе", "Ruse"), ("Силистра", "Silistra"), ("Троян", "Troyan"), ("Угърчин", "Ugarchin"),
        ("Хасково", "Haskovo"), ("Цанков", "Tsankov"), ("Чепеларе", "Chepelare"),
        ("Шумен", "Shumen"), ("Щръклево", "Shtraklevo"), ("Кьолмен", "Kyolmen"), ("Юрий", "Yuriy"),
        ("Ямбол", "Yambol"), ("София", "Sofia"), ("България", "Bulgaria"), ("Фердинанд", "Ferdinand"),
    ],
)  # fmt: skip
def test_the_acts_examples(cyrillic, latin):
    assert transliterate(cyrillic) == latin


def test_capitals_and_whole_names():
    assert transliterate("ЖЕКОВА") == "ZHEKOVA"
    assert transliterate("Мария Петрова Иванова") == "Maria Petrova Ivanova"
    assert slugify("Иванова Мария Петрова M00042") == "ivanova-maria-petrova-m00042"


@pytest.mark.parametrize(
    ("name", "typed"),
    [("Иванова", "ivanova"), ("Шишков", "shishkov"), ("Цонева", "tsoneva"), ("Цонева", "tzoneva"), ("Жекова", "zhekova"), ("Жекова", "jekova"), ("Мария", "mariya"), ("Йорданов", "jordanov")],
)
def test_common_variants_are_indexed(name, typed):
    assert typed in latin_variants(name)
