"""GoRules ZEN as a benchmark peer: the JDM graph exit.json and its runner (bench extra: zen-engine)."""
