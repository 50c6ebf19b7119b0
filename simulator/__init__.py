"""A stand-in for LOQED's cloud: the web API, virtual locks that move, and outgoing webhooks.

It shares no code with the integration on purpose: it verifies signatures its own way, so the
end-to-end tests check the integration against an independent peer.
"""
