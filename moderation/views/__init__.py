"""Moderation pages: panels, reviews, looped audits, pairings, endorsement, statistics."""
