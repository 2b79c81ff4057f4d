"""The rules of the day: plain functions over a database session. No HTTP, no templates."""
