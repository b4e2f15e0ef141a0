"""The spaCy-free look-up tables behind entity canonicalisation."""

from __future__ import annotations

import pycountry
import pytest

from eventwire.nlp import tables
from eventwire.nlp.entities import gazetteer as gz


@pytest.mark.parametrize("name", ["US", "U.S.", "USA", "U.S.A.", "United States", "the United States",
                                  "The United States", "America", "United States of America"])
def test_every_press_name_of_the_united_states_is_one_country(name: str) -> None:
    country = gz.country_for(name)
    assert country is not None
    assert (country.alpha3, country.name) == ("USA", "United States")


@pytest.mark.parametrize(("name", "alpha3"), [
    ("Britain", "GBR"), ("UK", "GBR"), ("Russia", "RUS"), ("Iran", "IRN"), ("Syria", "SYR"),
    ("South Korea", "KOR"), ("North Korea", "PRK"), ("Ivory Coast", "CIV"), ("Czech Republic", "CZE"),
    ("Vietnam", "VNM"), ("Laos", "LAO"), ("Bolivia", "BOL"), ("Tanzania", "TZA"), ("Moldova", "MDA"),
    ("DR Congo", "COD"), ("Taiwan", "TWN"), ("Palestine", "PSE"), ("Venezuela", "VEN"),
    ("Côte d'Ivoire", "CIV"), ("Cote d’Ivoire", "CIV"), ("Germany", "DEU"),
])
def test_aliases_and_pycountry_names(name: str, alpha3: str) -> None:
    country = gz.country_for(name)
    assert country is not None and country.alpha3 == alpha3


def test_common_names_are_preferred_over_catalogue_names() -> None:
    assert gz.country_by_code("VEN") == gz.country_for("Venezuela, Bolivarian Republic of")
    assert gz.country_for("Venezuela").name == "Venezuela"  # type: ignore[union-attr]
    assert gz.country_for("Iran").name == "Iran"  # type: ignore[union-attr]
    for c in pycountry.countries:
        name = gz.country_by_code(c.alpha_3).name  # type: ignore[union-attr]
        assert "," not in name and "(" not in name, (c.alpha_3, name)


@pytest.mark.parametrize("name", ["us", "usa", "turkey", "chad", "Latin America", "Korea", "", "the"])
def test_lower_case_words_and_unknown_regions_are_not_countries(name: str) -> None:
    assert gz.country_for(name) is None


@pytest.mark.parametrize(("word", "alpha3"), [
    ("Venezuelan", "VEN"), ("Venezuelans", "VEN"), ("American", "USA"), ("Americans", "USA"),
    ("Swiss", "CHE"), ("Frenchmen", "FRA"), ("British", "GBR"), ("South Korean", "KOR"),
    ("Filipinos", "PHL"), ("Burkinabé", "BFA"),
])
def test_demonyms(word: str, alpha3: str) -> None:
    country = gz.country_for_demonym(word)
    assert country is not None and country.alpha3 == alpha3


def test_ambiguous_or_lower_case_demonyms_are_unknown() -> None:
    assert gz.country_for_demonym("Latin American") is None
    assert gz.country_for_demonym("Korean") is None
    assert gz.country_for_demonym("american") is None


def test_every_data_row_points_at_a_known_country() -> None:
    for table in ("countries_aliases.tsv", "demonyms.tsv"):
        for row in tables.rows(table):
            assert len(row) == 2, (table, row)
            assert gz.country_by_code(row[1]) is not None, (table, row)
    # Write-ups of the world's countries: most sovereign states have a demonym.
    with_demonym = {row[1] for row in tables.rows("demonyms.tsv")}
    assert len(with_demonym) >= 190


def test_nationality_of_accepts_demonyms_countries_and_possessives() -> None:
    assert gz.nationality_of("US").alpha3 == "USA"  # type: ignore[union-attr]
    assert gz.nationality_of("Venezuela's").alpha3 == "VEN"  # type: ignore[union-attr]
    assert gz.nationality_of("Venezuelan").alpha3 == "VEN"  # type: ignore[union-attr]
    assert gz.nationality_of("leader") is None


def test_well_known_cities_and_states() -> None:
    caracas = gz.place_for("Caracas")
    assert caracas is not None and caracas.country == "VEN" and caracas.kind == "city"
    assert caracas.population > 1_000_000 and -90 <= caracas.lat <= 90
    paris = gz.place_for("Paris")
    assert paris is not None and paris.country == "FRA"  # far larger than Paris, Texas
    florida = gz.place_for("Florida")
    assert florida is not None and florida.kind == "admin1" and florida.country == "USA"


def test_ambiguous_place_names_are_left_alone() -> None:
    assert gz.place_for("Springfield") is None  # several mid-sized US cities
    assert gz.place_for("Washington") is None  # the state or the capital
    assert gz.place_for("nowhere-ville") is None
    assert gz.place_for("paris") is None  # lower case is not a name


def test_scan_titles_reads_role_nationality_and_gender() -> None:
    scan = gz.scan_titles(["US", "President"])
    assert scan is not None and (scan.role, scan.nationality) == ("president", "USA")
    scan = gz.scan_titles(["former", "Venezuelan", "Foreign", "Minister"])
    assert scan is not None and (scan.role, scan.nationality) == ("foreign minister", "VEN")
    scan = gz.scan_titles(["Mrs"])
    assert scan is not None and scan.gender == "f" and scan.role is None
    assert gz.scan_titles(["US"]) is None  # a nationality alone is not a title
    assert gz.scan_titles(["reported", "President"]) is None


def test_strip_title_keeps_at_least_one_word() -> None:
    assert gz.strip_title(["President", "Ana", "Ruiz"]).length == 1
    assert gz.strip_title(["Venezuelan", "leader", "Ana", "Ruiz"]).role == "leader"
    assert gz.strip_title(["President"]).length == 0
    assert gz.strip_title(["Ana", "Ruiz"]).length == 0


def test_role_phrases() -> None:
    words = ["the", "prime", "minister", "said"]
    title = gz.role_ending_at(words, 2)
    assert title is not None and title.key == "prime minister" and title.kind == "role"
    assert gz.role_ending_at(words, 3) is None
    assert gz.is_role_head("President") and gz.is_role_head("counterpart") and not gz.is_role_head("said")


def test_org_words_and_pronouns() -> None:
    assert gz.is_org_word("Herald") and gz.is_org_word("gazette") and not gz.is_org_word("Smith")
    he = gz.pronoun("He")
    assert he is not None and (he.gender, he.case) == ("m", "subj")
    assert gz.pronoun("their").gender == "p"  # type: ignore[union-attr]
    assert gz.pronoun("we") is None


def test_fold() -> None:
    assert gz.fold("U.S.") == "us"
    assert gz.fold("Nicolás  MADURO") == "nicolas maduro"
    assert gz.fold("Côte d’Ivoire") == "cote d'ivoire"


def test_given_names() -> None:
    assert gz.given_name_gender("Ana") == "f"
    assert gz.given_name_gender("José") == gz.given_name_gender("Jose") == "m"
    assert gz.given_name_gender("Jordan") is None  # unisex names are left out


def test_a_seat_of_power_stands_for_its_city_not_a_translated_alternate_name() -> None:
    # geonames lists "White House" among Casablanca's alternate names (a translation of Dar el Beida)
    white_house = gz.place_for("the White House")
    assert white_house is not None and (white_house.name, white_house.country) == ("Washington", "USA")
    kremlin = gz.place_for("Kremlin")
    assert kremlin is not None and kremlin.country == "RUS"


def test_an_alternate_only_name_counts_only_in_the_articles_countries() -> None:
    tables = gz._places()
    key = next(k for k in sorted(tables.alternate_only) if tables.by_name.get(k) is not None
               and k[:1].isalpha() and len(k) > 4)
    place = tables.by_name[key]
    assert place is not None and place.country is not None
    name = key.title()
    assert gz.place_for(name) == place
    assert gz.place_for(name, countries=frozenset({place.country})) == place
    assert gz.place_for(name, countries=frozenset({"XXX"})) is None


def test_a_dateline_city_and_the_agencies_state_abbreviations() -> None:
    pennsylvania = gz.place_for("Pa.")
    assert pennsylvania is not None and (pennsylvania.name, pennsylvania.kind) == ("Pennsylvania", "admin1")
    state = gz.us_state("W.Va.")
    assert state is not None and state.admin1 == "WV" and gz.us_state("Pa") is None
    # a dateline names a city: the capital, never the state of that name; where two cities of a name are
    # close in size, only their state tells them apart
    capital = gz.city_for("WASHINGTON")
    assert capital is not None and (capital.country, capital.admin1) == ("USA", "DC")
    assert gz.place_for("Washington") is None  # as a name in the text, still too close to call
    assert gz.city_for("Charleston") is None
    charleston = gz.city_for("CHARLESTON", state="WV")
    assert charleston is not None and charleston.admin1 == "WV" and charleston.kind == "city"
    assert gz.city_for("Lirra") is None and gz.city_for("washington") is None


def test_a_name_several_cities_bear_is_read_among_the_articles_countries() -> None:
    assert gz.place_for("Hyderabad") is None  # India's and Pakistan's
    hyderabad = gz.place_for("Hyderabad", countries=frozenset({"PAK"}))
    assert hyderabad is not None and hyderabad.country == "PAK"
    washington = gz.place_for("Washington", countries=frozenset({"USA"}))
    assert washington is not None and washington.kind == "city" and washington.country == "USA"
    assert gz.place_for("Springfield", countries=frozenset({"FRA"})) is None


def test_sole_country_of_an_ambiguous_name() -> None:
    assert gz.sole_country("Springfield") == "USA"  # every Springfield we know
    assert gz.sole_country("Washington", frozenset({"USA"})) == "USA"
    assert gz.sole_country("Victoria") is None  # Canada, Seychelles, Mexico ...
    assert gz.sole_country("nowhere-ville") is None


def test_subdivisions_of_one_country_are_known_and_shared_names_are_not() -> None:
    sindh = gz.subdivision_for("Sindh")
    assert sindh is not None and (sindh.country, sindh.code) == ("PAK", "PK-SD")
    nangarhar = gz.subdivision_for("Nangarhar")  # written without the ISO name's diacritics
    assert nangarhar is not None and nangarhar.country == "AFG"
    assert gz.subdivision_for("Punjab") is None  # India's and Pakistan's
    assert gz.subdivision_for("North") is None  # a direction, whatever a country calls its region
    assert gz.subdivision_for("Lirra") is None
    darfur = gz.subdivision_for("Darfur")  # data/places_regions.tsv: no one subdivision
    assert darfur is not None and (darfur.country, darfur.code) == ("SDN", "")


def test_a_town_in_the_articles_countries_is_not_read_for_a_city_that_dwarfs_it() -> None:
    # a US report that names Britain: "Washington" is not the English town of that name
    assert gz.place_for("Washington", countries=frozenset({"GBR"})) is None
