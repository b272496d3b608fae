"""MAEX Impuls (issue 11): a portal's funds filled by several funders, rounds, applications and the one ledger
every money movement goes through (docs/decisions/0024-impuls-ledger-and-split.md)."""
