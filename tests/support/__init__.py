"""What the tests (and benchmarks) share: the throwaway PostgreSQL server and its central
stores, quick key derivation for test stores, and bounded waits on conditions.

tests/conftest.py registers `support.fixtures`, so every test folder gets the same
`pg_server`, `central` and `quick_key_derivation` fixtures.
"""
