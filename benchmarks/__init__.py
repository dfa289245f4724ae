"""Caster Desk benchmarks: each measurement next to its limit, measured in the same run.

Run ``./dev bench`` (or ``python -m benchmarks``); ``--help`` lists the options. Every benchmark
drives the real window, worker pool, API client and sandbox over loopback, and real decoding.
Results go to ``benchmarks/results.json``; ``benchmarks/RESULTS.md`` explains them.
"""
