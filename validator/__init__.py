"""Ereje (ережe, "rule"): rules-as-code for Kazakhstan's state service standards.

Data flows one way: text → standard (paragraphs) → rules (loaded, checked, compiled) →
evaluation of a case → report (rendered).
"""

__version__ = "0.1.0"
