from tests.actions.conftest import make_action, template  # noqa: F401 (the tracker needs them)
