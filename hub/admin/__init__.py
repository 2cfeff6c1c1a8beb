"""The admin area: accounts, their roles and whether they may log in (admins only)."""
