"""The rules of the day: plain functions over a database session. No HTTP, no templates.

One vocabulary, the one people use on the day: an attendee *marks* a topic they want (a tap), and
the mark is stored as an ``Interest`` row (the event file's ``interests``, which the scheduler
weighs). "Vote" survives only in names that are printed or integrated and so stay stable: the
event setting ``vote_budget`` (marks per attendee) and the phase ``voting`` (shown as "Marking").
"""
