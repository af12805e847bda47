"""Planvakt's Alembic migrations, shipped inside the distribution so an installed `planvakt db upgrade` finds them.

`tracker.store.database` locates this folder through the package (`importlib.resources`), never relative to a checkout.
"""
