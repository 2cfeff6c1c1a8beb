"""People's own data: the privacy notice, "Download my data" and "Delete my account".

An area above submissions and accounts (it reads both, and the audit and mail services);
docs/own-data.md describes the export's keys and what a deletion does.
"""
