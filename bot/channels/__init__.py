"""Channel adapters (Telegram, WhatsApp): platform updates in, the router's answers out through the outbox."""
