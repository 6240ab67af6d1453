"""The supervisor's review of pending checks and follow-ups (`court-tui review`)."""
