"""What the notes mean: validation (`check_*`), the agenda, the referral graph,
organizations, statistics, `--where` queries and `show`. Pure functions of
(index, now, config)."""
