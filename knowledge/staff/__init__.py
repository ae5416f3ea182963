"""What the help desk keeps besides escalations: conversations staff took over, logins, sessions, the audit
log and the links between reports (a lower layer: no domain package is imported here)."""
