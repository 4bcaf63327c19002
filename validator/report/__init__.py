"""Stage 4, the report (есеп): a decision rendered for people, in one language (kk, ru or en)."""
