"""Views of the actions app, one module per part of the service."""
