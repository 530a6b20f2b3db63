"""Postcodes: normalising what people type, and resolving to LSOA, ward, town and IMD decile."""

from __future__ import annotations

import pytest

from recruit.extensions import db
from recruit.reference.postcodes import (
    InvalidPostcode,
    is_valid_postcode,
    normalise_postcode,
    resolve_postcode,
    resolve_postcodes,
)
from tests import factories
from tests.factories_participants import LsoaFactory, PostcodeFactory


@pytest.mark.parametrize(("typed", "stored"), [
    ("OL1 1AA", "OL1 1AA"),
    ("ol11aa", "OL1 1AA"),
    ("  ol1   1aa ", "OL1 1AA"),
    ("M1 1AE", "M1 1AE"),
    ("m11ae", "M1 1AE"),
    ("OL16 2NB", "OL16 2NB"),
    ("EC1A 1BB", "EC1A 1BB"),
    ("W1A0AX", "W1A 0AX"),
    ("B33 8TH", "B33 8TH"),
    ("CR2 6XH", "CR2 6XH"),
    ("DN55 1PT", "DN55 1PT"),
    ("M 1 1 A E", "M1 1AE"),
    ("bl9\t0pq", "BL9 0PQ"),
])
def test_postcodes_are_normalised_to_the_directory_form(typed, stored):
    assert normalise_postcode(typed) == stored
    assert normalise_postcode(stored) == stored  # normalising twice changes nothing


@pytest.mark.parametrize("typed", [
    "OL1", "1AA", "OL1 1A", "OL1 1AAA", "QL1 1AA", "OL1 1CA", "ABC", "12345", "OL1-1AA",
    "<script>", "OL1 1A!",
])
def test_clearly_invalid_postcodes_are_refused_with_a_message(typed):
    with pytest.raises(InvalidPostcode) as refused:
        normalise_postcode(typed)
    assert refused.value.message == "Enter a full UK postcode, like OL1 1AA"
    assert not is_valid_postcode(typed)


def test_an_empty_postcode_asks_for_one():
    with pytest.raises(InvalidPostcode) as refused:
        normalise_postcode("   ")
    assert refused.value.message == "Enter a postcode"


def test_a_known_postcode_resolves_through_its_lsoa_to_ward_town_and_imd():
    town = factories.LocalAuthorityFactory(name="Oldham", code="E08000004", in_catchment=True)
    ward = factories.WardFactory(name="Coldhurst", code="E05000733", local_authority=town)
    lsoa = LsoaFactory(code="E01005354", ward=ward, imd_decile=1, imd_rank=57,
                       imd_edition="IoD2019")
    # The directory's ward code is a newer edition; the LSOA lookup's 2022 ward must win.
    PostcodeFactory(postcode="OL1 1AB", lsoa=lsoa, ward_code="E05014650")
    db.session.commit()

    found = resolve_postcode("ol11ab")
    assert found is not None
    assert found.postcode == "OL1 1AB"
    assert (found.lsoa_id, found.lsoa_code) == (lsoa.id, "E01005354")
    assert (found.ward_id, found.ward_code, found.ward_name) == (ward.id, "E05000733", "Coldhurst")
    assert (found.local_authority_id, found.local_authority_name) == (town.id, "Oldham")
    assert found.in_catchment is True
    assert (found.imd_decile, found.imd_rank, found.imd_edition) == (1, 57, "IoD2019")


def test_an_unknown_or_malformed_postcode_resolves_to_nothing():
    PostcodeFactory(postcode="OL1 1AB")
    db.session.commit()
    assert resolve_postcode("OL9 9ZZ") is None
    assert resolve_postcode("not a postcode") is None
    assert resolve_postcode(None) is None


def test_without_an_lsoa_the_directorys_own_ward_and_town_are_used():
    town = factories.LocalAuthorityFactory(name="Trafford", in_catchment=False)
    ward = factories.WardFactory(name="Gorse Hill", local_authority=town)
    PostcodeFactory(postcode="M15 4AB", lsoa=None, lsoa21_code="E01999999",
                    ward_code=ward.code, local_authority_code=town.code)
    db.session.commit()
    found = resolve_postcode("M15 4AB")
    assert found.lsoa_id is None and found.imd_decile is None
    assert found.ward_name == "Gorse Hill"
    assert found.local_authority_name == "Trafford"
    assert found.in_catchment is False


def test_many_postcodes_resolve_at_once_for_importers():
    first, second = LsoaFactory(), LsoaFactory()
    PostcodeFactory(postcode="OL1 1AB", lsoa=first)
    PostcodeFactory(postcode="BL9 0PQ", lsoa=second)
    db.session.commit()
    found = resolve_postcodes(["ol1 1ab", "BL90PQ", "OL9 9ZZ", "rubbish", None])
    assert set(found) == {"OL1 1AB", "BL9 0PQ"}
    assert found["OL1 1AB"].lsoa_id == first.id
    assert found["BL9 0PQ"].lsoa_id == second.id
