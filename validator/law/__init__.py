"""Stage 1, the law (заң): the official texts, imported paragraph by paragraph, and citations of them."""
