"""Stage 3, the decision (шешім): a case evaluated against compiled rules, with no words of any language."""
