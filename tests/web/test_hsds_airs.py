"""#25: a 211's file lands categorized. The default mapping (seeds/hsds/airs-section-v.csv)
gives 211 HSIS (AIRS/211 LA) codes their Section V category where they clearly correspond,
by the longest code prefix it lists; a code it does not list, or another vocabulary's code,
stays uncategorized (counted in the report); a mapping file given with the import wins."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from directory.hsds.importing import check, load, package
from directory.models import Service
from tests.factories import ServiceFactory
from tests.web.test_hsds import export, read_csv, write_csv

TAXONOMY = "3f1c2b7e-8d1a-4c55-9a0e-2b9f1f7c6a01"
# (service name, the code it is filed under) -> the category worked out by hand from the
# mapping's lines: BD; BH-1800.1500; RP-1500.1400-800 (a longer line than RP); RP; none
# for LN-9500 (Women's Health Centers: no clear Section V match); none for an Open
# Eligibility-style code; none for "bd" in lower case (not the 211 HSIS shape)
FILED = {
    "Westside pantry": ("BD-1800.2000", "food"),
    "Safe home": ("BH-1800.1500", "shelter.adults_other"),
    "Lifeline": ("RP-1500.1400-800", "hotline.suicide"),
    "Counselling centre": ("RP-1500.3600", "mental_health.general"),
    "Women's clinic": ("LN-9500", None),
    "Open eligibility food": ("101-01", None),
    "Lower-case code": ("bd-1800", None),
}


def _package(tmp_path):
    """This directory's export of the services above, their own categories taken out and
    each filed under a term of a 211 taxonomy instead."""
    for name in FILED:
        ServiceFactory(name=name, category="food")
    db.session.commit()
    folder = export(tmp_path)
    attributes = [a for a in read_csv(folder / "attributes.csv") if a["link_type"] != "category"]
    taxonomies = read_csv(folder / "taxonomies.csv")
    taxonomies.append(
        {**taxonomies[0], "id": TAXONOMY, "name": "211 HSIS", "description": "A 211 taxonomy"}
    )
    write_csv(folder / "taxonomies.csv", taxonomies)
    terms = read_csv(folder / "taxonomy_terms.csv")
    for i, service in enumerate(read_csv(folder / "services.csv")):
        name = service["name"]
        code, _category = FILED[name]
        term_id = f"9b2e4c1d-5a6f-4e3b-8c7d-1a2b3c4d5e{i:02d}"
        terms.append(
            {
                **terms[0],
                "id": term_id,
                "code": code,
                "name": name,
                "description": name,
                "parent_id": "",
                "taxonomy_id": TAXONOMY,
            }
        )
        attributes.append(
            {
                "id": f"7c9e6679-7425-40de-944b-e07fc1f90a{i:02d}",
                "link_id": service["id"],
                "taxonomy_term_id": term_id,
                "link_type": "taxonomy",
                "link_entity": "service",
                "value": "",
            }
        )
    write_csv(folder / "taxonomy_terms.csv", terms)
    write_csv(folder / "attributes.csv", attributes)
    db.session.execute(Service.__table__.delete())  # a directory that never had them
    db.session.commit()
    return folder


def _categories() -> dict[str, str | None]:
    return dict(db.session.execute(select(Service.name, Service.category)).all())


def test_a_211_file_lands_categorized_by_the_default_mapping(tmp_path, app):
    folder = _package(tmp_path)
    try:
        report = load.import_package(db.session, folder)
    except package.ImportRejected as exc:
        raise AssertionError(exc.problems) from exc
    db.session.commit()
    assert _categories() == {name: category for name, (_code, category) in FILED.items()}
    # the three left uncategorized are counted, filed under terms no mapping gives a category
    assert report.unstated["services.category.unmapped"] == 3


def test_a_mapping_file_goes_before_the_default(tmp_path, app):
    folder = _package(tmp_path)
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("term,category\nBH-1800,shelter.adults_hte\nLN-9500,health.obgyn\n")
    load.import_package(db.session, folder, mapping=check.read_mapping(mapping))
    db.session.commit()
    found = _categories()
    assert found["Safe home"] == "shelter.adults_hte"  # the file's BH-1800 over the default
    assert found["Women's clinic"] == "health.obgyn"
    assert found["Westside pantry"] == "food"  # the default still fills the rest
