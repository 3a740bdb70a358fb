"""Publish a course from one repository: Marp decks become lecture pages and exports."""
