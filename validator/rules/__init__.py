"""Stage 2, the rules (ережелер): rule files loaded safely, checked against the law, compiled."""
