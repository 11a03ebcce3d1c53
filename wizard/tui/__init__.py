"""The full-screen Textual app: screens, widgets, the field widget factory and styles.

Only :mod:`wizard.commands.run` imports this package (lazily); the domain
(:mod:`wizard.session`, :mod:`wizard.answers.fields`, :mod:`wizard.checklist`) never
imports it.
"""
