"""A local stand-in for the video providers' HTTP APIs, for tests and for working offline.

Each provider module speaks that provider's published contract (paths, auth, fields, statuses,
error shapes); the core keeps jobs, moves them on over time, serves real MP4 results and plays
faults on demand.
"""
