"""The sandbox: a local stand-in for Alibaba Cloud's Live caster API and its media streams.

``from app.sandbox import Sandbox`` gives the in-process emulator; ``casterdesk sandbox`` runs it
in the foreground (``app.sandbox.serve``). No Qt here.
"""
