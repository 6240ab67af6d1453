"""The domain: the case record and every rule about it. No UI, no SQL."""
