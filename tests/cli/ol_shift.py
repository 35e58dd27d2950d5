#!/usr/bin/python3
"""Moves the events of a file by whole days, for the daemon's lineage
tests: the daemon judges at its wall clock, so the fixtures, written for
2026-11-26, are shifted to today. Only the date of each eventTime changes;
every other byte stays as written.

Usage: ol_shift.py DAYS FILE  (the result on stdout)
"""
import datetime
import re
import sys

days = datetime.timedelta(days=int(sys.argv[1]))
text = open(sys.argv[2]).read()


def move(m):
    date = datetime.date.fromisoformat(m.group(2)) + days
    return m.group(1) + date.isoformat()


sys.stdout.write(re.sub(r'("eventTime"\s*:\s*")(\d{4}-\d\d-\d\d)', move, text))
