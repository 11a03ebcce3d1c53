"""Tools for flow authors: path tests and coverage (``wizard test``) and the starter flow (``wizard new``).

Nothing here re-implements a rule of the wizard: answers are validated by
:mod:`wizard.answers.file` (through :func:`wizard.answers.fields.validate`), the way
through a flow is walked with :class:`wizard.session.Session`, and the
checklist is built by :func:`wizard.checklist.build`.
"""
