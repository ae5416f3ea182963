"""The help desk: staff authentication, the escalation API and (later) the dashboard."""
