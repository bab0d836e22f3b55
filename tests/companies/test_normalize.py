import pytest

from companies.normalize import normalize_company_name


@pytest.mark.parametrize(
    "name",
    ["Acme Ltd", "ACME LIMITED", "Acme (Pvt.) Ltd", "  acme  private limited ", "Acmé Ltd."],
)
def test_spellings_of_one_company_share_a_key(name):
    assert normalize_company_name(name) == "acme"


def test_share_classes_stay_apart():
    assert normalize_company_name("Alphabet Inc. (Class A)") != normalize_company_name(
        "Alphabet Inc. (Class C)"
    )


def test_name_made_only_of_legal_words_keeps_them():
    assert normalize_company_name("The Company Ltd") == "the company ltd"


def test_non_latin_names_are_kept():
    assert normalize_company_name("株式会社 テスト") == "株式会社 テスト"
