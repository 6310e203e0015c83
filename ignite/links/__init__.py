"""Outbound links and whether they still work.

Apps register where their links live (`sources.register`); `manage.py check_links` fetches every
registered link (`checker`) and records the answer (`models.LinkCheck`), which the pages and the
admin read. The kernel knows no app: each app's AppConfig registers its own sources.
"""
