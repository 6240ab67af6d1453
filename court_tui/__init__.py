"""court-tui: the court duty officer's record of a case, from oral report to handover."""

__version__ = "0.1.0"
