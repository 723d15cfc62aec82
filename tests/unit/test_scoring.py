"""Scoring on answer sets worked out by hand."""

from __future__ import annotations

import pytest

from assessment import scoring
from assessment.instruments import SELF, SERVICE, get


def by_code(results):
    return {r.code: r for r in results}


def test_self_assessment_one_respondent():
    tool = get(SELF)
    # c1: 2 + 3 = 5 of 6; c2: 1 + 0 + 2 answered (3 unanswered) = 3 of 9, 18 if all answered
    answers = {"c1.01": 2, "c1.02": 3, "c2.01": 1, "c2.02": 0, "c2.03": 2}
    results = by_code(scoring.respondent_scores(tool, answers))
    assert (results["c1"].score, results["c1"].maximum, results["c1"].maximum_all) == (5, 6, 6)
    assert results["c1"].percent == pytest.approx(83.3)
    assert (results["c2"].score, results["c2"].maximum, results["c2"].maximum_all) == (3, 9, 18)
    assert results["c2"].percent == pytest.approx(33.3)
    assert results["c3"].percent is None
    total = scoring.grand_total(list(results.values()), tool)
    assert (total.score, total.maximum, total.maximum_all) == (8, 15, 186)


def test_self_assessment_collated_over_three_respondents():
    tool = get(SELF)
    responses = [
        ({"c1.01": 3, "c1.02": 3}, {}),
        ({"c1.01": 0, "c1.02": 2}, {}),
        ({"c1.01": 3}, {}),  # c1.02 unanswered
    ]
    c1 = by_code(scoring.collate(tool, responses))["c1"]
    # item means: c1.01 (3+0+3)/3 = 2; c1.02 (3+2)/2 = 2.5 → 4.5 of 6
    assert c1.score == pytest.approx(4.5)
    assert c1.maximum == 6
    assert c1.percent == pytest.approx(75.0)
    assert c1.respondents == 3
    # respondents' percents 100, 33.3, 100 → population std. dev. 31.4
    assert c1.spread == pytest.approx(31.4, abs=0.1)
    stats = {s.item.code: s for s in scoring.item_stats(tool, responses)}
    assert stats["c1.01"].counts == {0: 1, 1: 0, 2: 0, 3: 2}
    assert scoring.most_disputed(list(stats.values()))[0].item.code == "c1.01"
    weak = scoring.weakest_items(tool, list(stats.values()))
    assert [(n, s.item.code) for n, s in weak] == [(1, "c1.01")]


def test_service_assessment_excludes_na_and_children_of_a_no():
    tool = get(SERVICE)
    answers = {
        "d01.01": "yes",
        "d01.02": "no",
        "d01.03": "na",
        "d01.04": "yes",
        "d01.05": "no",  # protocol: NO → d01.06-10 are not asked
        "d01.11": "yes",
        "d10.01": "yes",
        "d10.02": "yes",
        "d10.03": "no",
        "d10.06": "yes",  # integrated: YES → d10.07 (IF NO) not asked
        "d10.08": "na",
    }
    results = by_code(scoring.respondent_scores(tool, answers, {"d01": 3, "d10": None}))
    d01 = results["d01"]
    # applicable: d01.01, .02, .04, .05, .11 = 5 (d01.03 N/A); YES: .01, .04, .11 = 3
    assert (d01.yes, d01.no, d01.na) == (3, 2, 1)
    assert d01.yes_share == pytest.approx(0.6)
    assert d01.percent == pytest.approx(60.0)
    assert d01.rating_mean == 3
    d10 = results["d10"]
    # applicable: d10.01, .02, .03, .06 = 4; YES: .01, .02, .06 = 3
    assert (d10.yes, d10.no, d10.na) == (3, 1, 1)
    assert d10.yes_share == pytest.approx(0.75)
    assert d10.rating_mean is None


def test_service_assessment_collated_with_ratings():
    tool = get(SERVICE)
    responses = [
        ({"d02.01": "yes", "d02.02": "yes", "d02.03": "no"}, {"d02": 4}),
        ({"d02.01": "yes", "d02.02": "no", "d02.03": "na", "d02.04": "no"}, {"d02": 2}),
        ({"d02.01": "yes"}, {"d02": None}),
    ]
    d02 = by_code(scoring.collate(tool, responses))["d02"]
    # YES: 2 + 1 + 1 = 4; applicable: 3 + 3 + 1 = 7 (one N/A left out)
    assert (d02.yes, d02.no, d02.na) == (4, 3, 1)
    assert d02.percent == pytest.approx(57.1)
    # ratings 4 and 2 (N/A excluded): mean 3.0 from 2 ratings
    assert d02.rating_mean == 3.0
    assert d02.ratings_count == 2
    assert d02.rating_spread == 2
    assert d02.respondents == 3


def test_weakest_first_puts_unanswered_last():
    tool = get(SERVICE)
    responses = [({"d02.01": "no", "d09.01": "yes", "d04.01": "yes", "d04.02": "no"}, {})]
    order = [
        r.code
        for r in scoring.weakest_first(
            [r for r in scoring.collate(tool, responses) if r.maximum_all]
        )
    ]
    assert order[:3] == ["d02", "d04", "d09"]
    assert order[-1] == "d11"
