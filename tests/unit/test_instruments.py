"""The instrument files match the source documents item for item."""

from __future__ import annotations

import pytest

from assessment import instruments
from assessment.instruments import SELF, SERVICE

SERVICE_ITEMS = {
    "d01": 11,
    "d02": 5,
    "d03": 13,
    "d04": 4,
    "d05": 9,
    "d06": 8,
    "d07": 8,
    "d08": 7,
    "d09": 5,
    "d10": 8,
    "d11": 4,
    "d12": 0,
}
SELF_ITEMS = {"universal": 14, "c1": 2, "c2": 6, "c3": 8, "c4": 10, "c5": 11, "c6": 11}


def test_service_assessment_items_per_domain():
    tool = instruments.get(SERVICE)
    assert {s.code: len(s.items) for s in tool.sections} == SERVICE_ITEMS
    assert [s.code for s in tool.sections] == [f"d{n:02d}" for n in range(1, 13)]
    assert len(tool.rated_sections) == 11  # every domain but 12 has a 1-5 rating
    assert tool.rating_values == (1, 2, 3, 4, 5, None)


def test_self_assessment_items_and_maxima_from_items():
    tool = instruments.get(SELF)
    assert {s.code: len(s.items) for s in tool.sections} == SELF_ITEMS
    maxima = {s.code: tool.maximum(s) for s in tool.sections}
    assert maxima == {"universal": 42, "c1": 6, "c2": 18, "c3": 24, "c4": 30, "c5": 33, "c6": 33}
    assert tool.grand_maximum == 186
    # the printed "out of 22" for competency 6 is a slip: 11 items x 3 = 33
    assert tool.section("c6").printed_maximum == 22


@pytest.mark.parametrize(
    ("code", "start"),
    [
        ("d01.05", "Does the facility have a protocol to respond to cases of suspected HT/E?"),
        ("d01.11", "Does the facility have easily accessible, up-to-date lists of relevant"),
        ("d05.06", "Human trafficking and exploitation?"),
        ("d09.03", "Is there a private, safe place to talk with the patient/client"),
        ("d11.04", "Is there counseling to support staff experiencing vicarious trauma?"),
        ("universal.11", "Engage professional, trauma-informed interpreters"),
        ("c3.05", "Ensure that a dynamic directory of service providers"),
        ("c5.11", "Design and implement confidentiality measures for health record"),
        ("c6.09", "Ensure HCPs have easy access to a list of community, state, and national"),
    ],
)
def test_sample_wordings(code, start):
    items = {**instruments.get(SERVICE).items, **instruments.get(SELF).items}
    assert items[code].text.startswith(start)


def test_conditional_children():
    tool = instruments.get(SERVICE)
    children = {c: (i.parent, i.asked_if) for c, i in tool.items.items() if i.parent}
    assert children == {
        "d01.06": ("d01.05", "yes"),
        "d01.07": ("d01.05", "yes"),
        "d01.08": ("d01.05", "yes"),
        "d01.09": ("d01.05", "yes"),
        "d01.10": ("d01.05", "yes"),
        "d10.02": ("d10.01", "yes"),
        "d10.03": ("d10.01", "yes"),
        "d10.04": ("d10.01", "yes"),
        "d10.05": ("d10.01", "yes"),
        "d10.07": ("d10.06", "no"),
    }
    interpreters = [
        i for i in tool.section("d05").items if i.stem == "Are interpreters trained on:"
    ]
    assert [i.code for i in interpreters] == ["d05.05", "d05.06", "d05.07"]


def test_guidance_for_each_domain_and_competency():
    for code in (SERVICE, SELF):
        tool = instruments.get(code)
        for section in tool.sections:
            guidance = instruments.guidance_for(tool, section.code)
            assert guidance is not None, section.code
            assert len(guidance["text"]) > 500
    assert instruments.guidance_for(instruments.get(SERVICE), "d09")["heading"] == (
        "Guidance on Safety"
    )


def test_a_broken_file_fails_loudly(tmp_path, monkeypatch):
    bad = tmp_path / "icmec-service-assessment.yaml"
    text = (instruments.SEEDS / "icmec-service-assessment.yaml").read_text()
    bad.write_text(text.replace("code: d02.02,", "code: d02.01,"))
    monkeypatch.setattr(instruments, "SEEDS", tmp_path)
    with pytest.raises(instruments.InstrumentError, match="d02.01 should be d02.02"):
        instruments._load(bad)
