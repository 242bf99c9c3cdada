"""The translation primitive beside its catalogs: `locales.i18n` (see its docstring).

The bottom of the layers (docs/ARCHITECTURE.md): it imports nothing of the project.
"""
