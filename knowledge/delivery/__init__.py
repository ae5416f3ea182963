"""Channel delivery: the inbox (updates stored before a webhook answers), the outbox (every message sent
to Telegram or WhatsApp, stored before it is sent) and what we know about each recipient."""
