"""The sandbox's media origin: live RTMP, HTTP-FLV and HLS from pre-encoded loops, in pure Python.

``MediaOrigin`` (``origin.py``) is the entry point; ``RENDITIONS`` (``renditions.py``) says what
each stream decodes to.
"""
