#!/usr/bin/env python3
"""A seeded survey export for the NPS tests, made here with the standard
library only so it is reproducible without a download:

`nps_survey.csv`: one row per respondent of a post-purchase survey in a
test of two personalised recommendation designs against the control:
`response_id, variant, likelihood_to_recommend, csat, channel, comment`.
`likelihood_to_recommend` is the 0–10 NPS question (blank when skipped),
`csat` a 1–5 satisfaction score (a mean, not NPS), `channel` a segment and
`comment` free text with commas and quotes, `basket_value` the order
value of the purchase the survey followed (lognormal, a few large ones).

    python3 tests/data/make_nps_survey.py
"""
import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Chance of each score 0..10 per variant: recs_a moves detractors to
# passives and promoters, recs_b barely differs from the control.
WEIGHTS = {
    "control": [4, 2, 3, 4, 5, 8, 10, 14, 18, 16, 16],
    "recs_a": [3, 1, 2, 3, 4, 6, 8, 14, 18, 20, 21],
    "recs_b": [4, 2, 3, 4, 5, 7, 10, 14, 18, 17, 16],
}
COMMENTS = ["", "", "", "Great picks, thanks", "Too many emails, \"spammy\"", "ok", "Found it, finally"]


def main():
    rng = random.Random(41)
    # A second generator, so the first's answers stay as they were.
    baskets = random.Random(43)
    rows = []
    for i in range(2400):
        variant = rng.choice(list(WEIGHTS))
        score = rng.choices(range(11), WEIGHTS[variant])[0]
        answered = rng.random() > 0.08
        csat = min(5, max(1, round(score / 2.5 + rng.uniform(-0.8, 0.8))))
        rows.append([
            f"r{50000 + i}",
            variant,
            score if answered else "",
            csat,
            rng.choice(["email", "app", "web"]),
            rng.choice(COMMENTS),
            round(baskets.lognormvariate(3.6 + (0.1 if variant == "recs_a" else 0.0), 0.8), 2),
        ])
    with open(HERE / "nps_survey.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["response_id", "variant", "likelihood_to_recommend", "csat", "channel", "comment", "basket_value"])
        w.writerows(rows)


if __name__ == "__main__":
    main()
